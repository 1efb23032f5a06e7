package io.groot.ops.connect;

import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stock standalone Connect worker from Apache Kafka's connect-runtime, in-process, loading the groot plugin from
 * {@code plugin.path} as a deployment would. Source offsets live in a file, so a new worker over the same file
 * resumes where the last one stopped.
 */
public final class ConnectWorker implements AutoCloseable {
    /** The packaged plugin, built by the connectors module before these tests run. */
    static final Path PLUGIN_PATH = Path.of("..", "connectors", "target", "plugin").toAbsolutePath().normalize();

    private final Connect<StandaloneHerder> connect;

    private ConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    public static ConnectWorker start(String bootstrapServers, Path offsets) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("offset.storage.file.filename", offsets.toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("plugin.path", PLUGIN_PATH.toString());
        props.put("plugin.discovery", "service_load");
        props.put("listeners", "http://127.0.0.1:0");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return new ConnectWorker(new ConnectStandalone().startConnect(props));
        } finally {
            Thread.currentThread().setContextClassLoader(loader); // the worker swaps it
        }
    }

    public void addConnector(String name, Map<String, String> config) throws Exception {
        Map<String, String> withName = new HashMap<>(config);
        withName.put("name", name);
        FutureCallback<org.apache.kafka.connect.runtime.Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        connect.herder().putConnectorConfig(name, withName, false, created);
        created.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
