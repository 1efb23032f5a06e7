package io.groot.connectors;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Settings of {@link LabelledFileSourceConnector}. */
final class FileSourceConfig extends AbstractConfig {
    static final String PATHS = "paths";
    static final String FORMAT = "format";
    static final String KIND = "kind";
    static final String TOPIC = "topic";
    static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
    static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    static final String REQUEST_ID_PREFIX = "request.id.prefix";
    static final String BATCH_SIZE = "batch.size";
    static final String MAX_RECORDS_PER_SECOND = "max.records.per.second";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(PATHS, ConfigDef.Type.LIST, ConfigDef.Importance.HIGH,
                    "Files to read (for format seq: directories holding seq.in and seq.out); one task per path.")
            .define(FORMAT, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.ValidString.in("jsonl", "seq", "conll"), ConfigDef.Importance.HIGH,
                    "jsonl: one JSON object per line; seq: seq.in/seq.out; conll: token ... label columns.")
            .define(KIND, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.ValidString.in("texts", "rewards"), ConfigDef.Importance.HIGH,
                    "What to produce from each record: TextEvents, or RewardEvents (reference labels).")
            .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic the records go to.")
            .define(DEAD_LETTER_TOPIC, ConfigDef.Type.STRING, "groot.dead-letters", ConfigDef.Importance.HIGH,
                    "Where unreadable lines go, with file, line and reason.")
            .define(SCHEMA_REGISTRY_URL, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                    "Confluent-API schema registry the Avro values are registered with.")
            .define(REQUEST_ID_PREFIX, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Request ids of seq and conll records are this + the line number [the file or directory "
                            + "name + '-'].")
            .define(BATCH_SIZE, ConfigDef.Type.INT, 500, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                    "Most records returned by one poll.")
            .define(MAX_RECORDS_PER_SECOND, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW, "Pace of replay per task; 0 reads as fast as it can.");

    FileSourceConfig(Map<String, String> props) {
        super(DEFINITION, props);
    }

    List<String> paths() {
        return getList(PATHS);
    }

    LabelledInput.Format format() {
        return LabelledInput.Format.valueOf(getString(FORMAT).toUpperCase(Locale.ROOT));
    }

    LabelledInput.Kind kind() {
        return LabelledInput.Kind.valueOf(getString(KIND).toUpperCase(Locale.ROOT));
    }
}
