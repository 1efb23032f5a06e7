package io.groot.ops.status;

import io.groot.ops.broker.EmbeddedKafkaBroker;
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
