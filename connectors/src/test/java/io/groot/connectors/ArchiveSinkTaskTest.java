package io.groot.connectors;

import io.groot.schemas.TextEvent;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.AvroSerde;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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
        List<SinkRecord> batch = List.of(record(text, 0));
        SchemaRegistryServer server = SchemaRegistryServer.start(schemas, 0);
        int port = URI.create(server.url()).getPort();
        Context context = new Context();
        ArchiveSinkTask task = start(context, archive, server.url());
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

    @Test
    void recordsThatCannotBeArchivedGoToConnectsDeadLettersOrStopTheTaskWhenThereAreNone(@TempDir Path archive)
            throws Exception {
        InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
        AvroSerde<TextEvent> texts = new AvroSerde<>(schemas, TextEvent.class);
        byte[] good = texts.serialize(TEXTS.topic(), TextEvent.newBuilder().setRequestId("r1").setText("fly")
                .setTokens(List.of("fly")).setEventTime(Instant.ofEpochMilli(5)).build());
        byte[] batchNotText = new AvroSerde<>(schemas, TrainingBatch.class).serialize("a.training-batches",
                new TrainingBatch("b", Instant.ofEpochMilli(5), List.of()));
        List<SinkRecord> batch = List.of(record(new byte[]{1, 2}, 0), record(new byte[]{0, 0, 0, 0x7f, 0x7f, 2, 1}, 1),
                record(null, 2), record(batchNotText, 3), record(good, 4));
        try (SchemaRegistryServer server = SchemaRegistryServer.start(schemas, 0)) {
            Context context = new Context();
            context.reporter = (record, error) -> {
                context.reported.add(record.kafkaOffset() + " " + error.getClass().getSimpleName());
                return CompletableFuture.completedFuture(null);
            };
            ArchiveSinkTask task = start(context, archive.resolve("with-reporter"), server.url());
            task.put(batch);
            task.stop();
            assertEquals(List.of("0 SerializationException", "1 UnknownSchemaException",
                    "2 SerializationException", "3 UnarchivableRecordException"), context.reported);
            List<String> lines = Files.readAllLines(ArchiveSinkTask.file(archive.resolve("with-reporter"),
                    TEXTS.topic(), 0));
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).contains("\"_offset\":4"), lines.get(0));

            ArchiveSinkTask without = start(new Context(), archive.resolve("without"), server.url());
            ConnectException stopped = assertThrows(ConnectException.class, () -> without.put(batch));
            assertTrue(stopped.getMessage().contains("errors.deadletterqueue.topic.name"), stopped.getMessage());
            without.stop();
        }
    }

    private static ArchiveSinkTask start(Context context, Path archive, String registryUrl) {
        ArchiveSinkTask task = new ArchiveSinkTask();
        task.initialize(context);
        task.start(Map.of(ArchiveSinkConnector.DIRECTORY, archive.toString(),
                ArchiveSinkConnector.SCHEMA_REGISTRY_URL, registryUrl));
        task.open(Set.of(TEXTS));
        return task;
    }

    private static SinkRecord record(byte[] value, long offset) {
        return new SinkRecord(TEXTS.topic(), 0, null, "k", null, value, offset);
    }

    /** What the task uses of the Connect worker's context. */
    private static final class Context implements SinkTaskContext {
        long timeout = -1;
        ErrantRecordReporter reporter;
        final List<String> reported = new ArrayList<>();

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return reporter;
        }

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
