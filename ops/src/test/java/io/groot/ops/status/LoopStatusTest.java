package io.groot.ops.status;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.schemas.DeadLetterHeaders;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster check groot status makes first, and its lag on a real broker (LoopMetricsTest reads the status of a
 * running loop).
 */
class LoopStatusTest {

    @Test
    void lagCountsFromTheCommittedOffsetOrWithoutOneFromTheEarliestThatRetentionKept(@TempDir Path work)
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work, false, 0);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("t", "k" + i, "v" + i)).get();
                }
            }
            TopicPartition partition = new TopicPartition("t", 0);
            // Retention's doing: the first two records are gone.
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(2))).all().get();
            admin.alterConsumerGroupOffsets("behind", Map.of(partition, new OffsetAndMetadata(3))).all().get();

            assertEquals(Map.of("t", 3L), LoopStatus.consumerLag(client, "new", List.of("t"), Duration.ofSeconds(30)),
                    "no commit: from the earliest offset kept");
            assertEquals(Map.of("t", 2L), LoopStatus.consumerLag(client, "behind", List.of("t"),
                    Duration.ofSeconds(30)));
        }
    }

    @Test
    void deadLettersAreCountedByTheirReasonHeaderAndTheCountStopsAtItsBudget(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work, false, 0);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("dlq", 2, (short) 1))).all().get();
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                    new StringSerializer())) {
                for (String reason : new String[]{"unknown-request", "unreadable-training-batch", "unknown-request",
                        null}) {
                    ProducerRecord<String, String> record = new ProducerRecord<>("dlq", reason, "letter");
                    if (reason != null) {
                        record.headers().add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
                    }
                    producer.send(record).get();
                }
            }

            DeadLetterCount all = DeadLetterCount.read(client, "dlq", Duration.ofSeconds(30), Duration.ofSeconds(30));
            assertEquals(Map.of("unknown-request", 2L, "unreadable-training-batch", 1L, DeadLetterCount.NO_REASON, 1L),
                    all.byReason());
            assertTrue(all.complete());
            DeadLetterCount none = DeadLetterCount.read(client, "dlq", Duration.ofSeconds(30), Duration.ZERO);
            assertFalse(none.complete());
            assertTrue(none.render().contains("the rest not read in time"), none.render());
        }
    }

    @Test
    void aClusterThatIsNotThereDoesNotAnswerAndTheCheckReturnsPromptly() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Properties client = new Properties();
        client.put("bootstrap.servers", "127.0.0.1:" + port);
        long start = System.nanoTime();
        assertFalse(LoopStatus.clusterAnswers(client, Duration.ofSeconds(2)));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 10, "the check gave up after its timeout, not the admin client's: " + seconds + " s");
    }
}
