package io.groot.connectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Archives the texts and rewards topics to JSON-lines files, one per topic partition, in the format
 * {@link LabelledFileSourceConnector} and {@code groot replay} read. The files are the source of truth for what
 * was archived: a restarted task continues after the last offset in each file, so no record is written twice.
 */
public final class ArchiveSinkConnector extends SinkConnector {
    static final String DIRECTORY = "directory";
    static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    static final ConfigDef DEFINITION = new ConfigDef()
            .define(DIRECTORY, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                    "Archive root: <directory>/<topic>/partition-<n>.jsonl")
            .define(SCHEMA_REGISTRY_URL, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                    "Confluent-API schema registry the Avro values were written with.");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        DEFINITION.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ArchiveSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return DEFINITION;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
