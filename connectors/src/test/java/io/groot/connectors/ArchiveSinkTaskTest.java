package io.groot.connectors;

import io.groot.schemas.TextEvent;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.AvroSerde;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive sink through an outage of the real registry server. */
class ArchiveSinkTaskTest {
    private static final TopicPartition TEXTS = new TopicPartition("a.texts", 0);

    @Test
    void aRecordArchivedWhileTheRegistryIsDownIsRetriedInsteadOfFailingTheTask(@TempDir Path archive)
            throws Exception {
        InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
        byte[] text = new AvroSerde<>(schemas, TextEvent.class).serialize(TEXTS.topic(), TextEvent.newBuilder()
                .setRequestId("r1").setText("fly to boston").setTokens(List.of("fly", "to", "boston"))
                .setEventTime(Instant.ofEpochMilli(5)).build());
        List<SinkRecord> batch = List.of(new SinkRecord(TEXTS.topic(), 0, null, "r1", null, text, 0));
        SchemaRegistryServer server = SchemaRegistryServer.start(schemas, 0);
        int port = URI.create(server.url()).getPort();
        Context context = new Context();
        ArchiveSinkTask task = new ArchiveSinkTask();
        task.initialize(context);
        task.start(Map.of(ArchiveSinkConnector.DIRECTORY, archive.toString(),
                ArchiveSinkConnector.SCHEMA_REGISTRY_URL, server.url()));
        task.open(Set.of(TEXTS));
        Path file = ArchiveSinkTask.file(archive, TEXTS.topic(), 0);
        try {
            server.close();
            assertThrows(RetriableException.class, () -> task.put(batch));
            assertEquals(1000, context.timeout, "Connect is asked to deliver the batch again in a second");
            assertTrue(Files.readAllLines(file).isEmpty());

            server = SchemaRegistryServer.start(schemas, port);
            task.put(batch);
            List<String> lines = Files.readAllLines(file);
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).contains("\"r1\"") && lines.get(0).contains("\"_offset\":0"), lines.get(0));
        } finally {
            task.stop();
            server.close();
        }
    }

    /** What the task uses of the Connect worker's context. */
    private static final class Context implements SinkTaskContext {
        long timeout = -1;

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            assertFalse(offsets.isEmpty());
        }

        @Override
        public void offset(TopicPartition partition, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
            timeout = timeoutMs;
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(TEXTS);
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
