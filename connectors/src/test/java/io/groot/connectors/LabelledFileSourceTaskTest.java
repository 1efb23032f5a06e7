package io.groot.connectors;

import io.groot.schemas.TextEvent;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.AvroSerde;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file source through an outage of the real registry server. */
class LabelledFileSourceTaskTest {

    @Test
    void linesReadWhileTheRegistryIsDownAreSentOnceItAnswersNoneLostOrRepeated(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("t.jsonl"), """
                {"requestId": "a", "text": "fly to boston"}
                {"requestId": "b", "text": "to york"}
                {"requestId": "c", "text": "from denver"}
                """);
        InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
        SchemaRegistryServer server = SchemaRegistryServer.start(schemas, 0);
        int port = URI.create(server.url()).getPort();
        LabelledFileSourceTask task = new LabelledFileSourceTask();
        task.initialize(new Context());
        task.start(Map.of(FileSourceConfig.PATHS, file.toString(), FileSourceConfig.FORMAT, "jsonl",
                FileSourceConfig.KIND, "texts", FileSourceConfig.TOPIC, "s.texts",
                FileSourceConfig.SCHEMA_REGISTRY_URL, server.url()));
        List<SourceRecord> sent = new ArrayList<>();
        try {
            server.close();
            List<SourceRecord> duringOutage = task.poll();
            assertTrue(duringOutage == null || duringOutage.isEmpty(), "nothing can be sent: " + duringOutage);

            server = SchemaRegistryServer.start(schemas, port);
            for (int poll = 0; poll < 5 && sent.size() < 3; poll++) {
                List<SourceRecord> records = task.poll();
                if (records != null) {
                    sent.addAll(records);
                }
            }
        } finally {
            task.stop();
            server.close();
        }
        AvroSerde<TextEvent> texts = new AvroSerde<>(schemas, TextEvent.class);
        assertEquals(List.of("a", "b", "c"), sent.stream()
                .map(r -> texts.deserialize(r.topic(), (byte[]) r.value()).getRequestId()).toList());
        assertEquals(List.of(1L, 2L, 3L), sent.stream().map(r -> r.sourceOffset().get("lines")).toList());
    }

    /** What the task uses of the Connect worker's context: no offsets stored yet. */
    private static final class Context implements SourceTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return null;
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    return Map.of();
                }
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
