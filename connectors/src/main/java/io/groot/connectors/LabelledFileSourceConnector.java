package io.groot.connectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads texts or feedback from files (JSON lines, seq.in/seq.out, CoNLL) into a topic as Avro in the schema
 * registry's wire format (use {@code ByteArrayConverter} for values, {@code StringConverter} for keys). Source
 * offsets are line counts per file, so a restarted worker resumes where it stopped; unreadable lines go to the
 * dead-letter topic with file, line and reason.
 */
public final class LabelledFileSourceConnector extends SourceConnector {
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new FileSourceConfig(props); // fail fast on bad settings
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LabelledFileSourceTask.class;
    }

    /** One path per task, round robin over at most {@code maxTasks} tasks. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> paths = new FileSourceConfig(props).paths();
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> group : ConnectorUtils.groupPartitions(paths, Math.min(maxTasks, paths.size()))) {
            Map<String, String> config = new HashMap<>(props);
            config.put(FileSourceConfig.PATHS, String.join(",", group));
            configs.add(config);
        }
        return configs;
    }

    /** Offsets and records are written together when the worker runs exactly-once source support. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> props) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return FileSourceConfig.DEFINITION;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
