package io.groot.ops.connect;

import io.groot.connectors.ArchiveSinkTask;
import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connectors on a real Connect worker and broker: files in, records on the topics, the worker stopped and
 * restarted mid-file, and every line arrives exactly once; bad lines are dead letters naming file and line; the
 * archive sink writes each record once across the restart.
 */
class ConnectorsOnAWorkerTest {
    private static final int TEXT_LINES = 1500;
    private static final List<Integer> BAD_TEXT_LINES = List.of(7, 400, 1201);
    private static final int SEQ_LINES = 200;

    @Test
    void filesReachTheTopicsExactlyOnceAcrossAWorkerRestart(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             SchemaRegistryServer registryServer = SchemaRegistryServer.start(registry, 0)) {
            Topics topics = Topics.withPrefix("conn.");
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            TopicSetup.ensureTopics(client, topics, 2, (short) 1);
            Path texts = writeTexts(work.resolve("texts.jsonl"));
            Path seq = writeSeqLayout(work.resolve("feedback"));
            Path archive = work.resolve("archive");
            Path offsets = work.resolve("connect.offsets");
            Map<String, String> textSource = Map.of("connector.class", "io.groot.connectors.LabelledFileSourceConnector",
                    "paths", texts.toString(), "format", "jsonl", "kind", "texts", "topic", topics.texts(),
                    "dead.letter.topic", topics.deadLetters(), "schema.registry.url", registryServer.url(),
                    "batch.size", "50", "max.records.per.second", "500");
            Map<String, String> feedbackSource = Map.of(
                    "connector.class", "io.groot.connectors.LabelledFileSourceConnector", "paths", seq.toString(),
                    "format", "seq", "kind", "rewards", "topic", topics.rewards(),
                    "dead.letter.topic", topics.deadLetters(), "schema.registry.url", registryServer.url(),
                    "request.id.prefix", "fb-", "max.records.per.second", "100");
            Map<String, String> archiveSink = Map.of("connector.class", "io.groot.connectors.ArchiveSinkConnector",
                    "topics", topics.texts() + "," + topics.rewards(), "directory", archive.toString(),
                    "schema.registry.url", registryServer.url());

            long sentBeforeRestart;
            try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), offsets)) {
                worker.addConnector("texts-source", textSource);
                worker.addConnector("feedback-source", feedbackSource);
                worker.addConnector("archive-sink", archiveSink);
                sentBeforeRestart = awaitRecords(client, topics.texts(), 300);
            }
            long afterStop = count(client, topics.texts());
            System.err.printf("worker stopped with %d of %d texts sent%n", afterStop,
                    TEXT_LINES - BAD_TEXT_LINES.size());
            assertTrue(afterStop < TEXT_LINES - BAD_TEXT_LINES.size(),
                    "the worker stopped mid-file (" + afterStop + " texts so far)");

            try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), offsets)) {
                worker.addConnector("texts-source", textSource);
                worker.addConnector("feedback-source", feedbackSource);
                worker.addConnector("archive-sink", archiveSink);
                awaitRecords(client, topics.texts(), TEXT_LINES - BAD_TEXT_LINES.size());
                awaitRecords(client, topics.rewards(), SEQ_LINES - 1);
                awaitArchived(archive, topics, TEXT_LINES - BAD_TEXT_LINES.size() + SEQ_LINES - 1);
            }

            GrootSerdes serdes = new GrootSerdes(registry);
            List<String> textIds = TopicReader.readCommitted(client, topics.texts(), serdes.texts().deserializer())
                    .stream().map(TextEvent::getRequestId).sorted().toList();
            List<String> expectedIds = IntStream.rangeClosed(1, TEXT_LINES).filter(i -> !BAD_TEXT_LINES.contains(i))
                    .mapToObj(i -> "t" + i).sorted().toList();
            assertEquals(expectedIds.size(), textIds.size(), "every good line once (" + sentBeforeRestart
                    + " before the restart)");
            assertTrue(expectedIds.equals(textIds), "the same request ids as the good lines");

            List<RewardEvent> feedback = TopicReader.readCommitted(client, topics.rewards(),
                    serdes.rewards().deserializer());
            assertEquals(SEQ_LINES - 1, feedback.stream().map(RewardEvent::getRequestId).distinct().count());
            assertEquals(List.of("B-city", "O"), feedback.get(0).getReferenceLabels());

            List<DeadLetter> letters = TopicReader.readCommitted(client, topics.deadLetters(),
                    serdes.deadLetters().deserializer());
            assertEquals(BAD_TEXT_LINES.size() + 1, letters.size());
            assertTrue(letters.stream().allMatch(l -> l.getReason().equals("malformed-line")));
            List<Long> badTextLines = letters.stream().filter(l -> l.getSourceTopic().endsWith("texts.jsonl"))
                    .map(DeadLetter::getSourceOffset).sorted().toList();
            assertEquals(BAD_TEXT_LINES.stream().map(Long::valueOf).toList(), badTextLines, "file line numbers");
            DeadLetter mismatch = letters.stream().filter(l -> l.getSourceTopic().endsWith("feedback")).findFirst()
                    .orElseThrow();
            assertEquals(50, mismatch.getSourceOffset());
            assertTrue(mismatch.getError().endsWith("feedback:50: 2 tokens but 1 labels"), mismatch.getError());

            for (String topic : List.of(topics.texts(), topics.rewards())) {
                List<Long> archived = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    List<String> lines = Files.readAllLines(ArchiveSinkTask.file(archive, topic, p));
                    List<Long> offsetsInFile = lines.stream().map(l -> l.replaceAll(".*\"_offset\":(\\d+).*", "$1"))
                            .map(Long::valueOf).toList();
                    for (int i = 1; i < offsetsInFile.size(); i++) {
                        assertEquals(offsetsInFile.get(i - 1) + 1, offsetsInFile.get(i), "consecutive, no repeats");
                    }
                    archived.addAll(offsetsInFile);
                }
                assertEquals(count(client, topic), archived.size(), "archived once each: " + topic);
            }
        }
    }

    private static Path writeTexts(Path file) throws Exception {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= TEXT_LINES; i++) {
            out.append(BAD_TEXT_LINES.contains(i) ? "{\"requestId\": \"t" + i + "\", \"text\": " // truncated JSON
                    : "{\"requestId\": \"t" + i + "\", \"text\": \"fly to boston number " + i + "\"}").append('\n');
        }
        return Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }

    /** seq.in/seq.out with one line whose label count does not match its tokens. */
    private static Path writeSeqLayout(Path dir) throws Exception {
        Files.createDirectories(dir);
        StringBuilder in = new StringBuilder();
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= SEQ_LINES; i++) {
            in.append("boston please\n");
            out.append(i == 50 ? "B-city\n" : "B-city O\n");
        }
        Files.writeString(dir.resolve("seq.in"), in.toString());
        Files.writeString(dir.resolve("seq.out"), out.toString());
        return dir;
    }

    private static long awaitRecords(Properties client, String topic, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        long n;
        while ((n = count(client, topic)) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + " has " + n + " records, expected at least " + atLeast);
            }
            Thread.sleep(100);
        }
        return n;
    }

    private static void awaitArchived(Path archive, Topics topics, long lines) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            long n = 0;
            for (String topic : List.of(topics.texts(), topics.rewards())) {
                for (int p = 0; p < 2; p++) {
                    Path file = ArchiveSinkTask.file(archive, topic, p);
                    n += Files.exists(file) ? Files.readAllLines(file).size() : 0;
                }
            }
            if (n >= lines) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("archived " + n + " lines, expected " + lines);
            }
            Thread.sleep(200);
        }
    }

    /** Records in the topic (the sources write without transactions: end offsets count records). */
    private static long count(Properties client, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
