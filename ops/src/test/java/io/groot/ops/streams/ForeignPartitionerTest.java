package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.streams.accounting.Accounting;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Texts and rewards written by a client whose partitioner is not Java's murmur2: librdkafka's default
 * ({@code consistent_random}: CRC32 of the key), which Python, Go, .NET and kcat producers use. Every reward must
 * still join its candidates, whatever partition it and its text landed in.
 */
class ForeignPartitionerTest {
    private static final int PARTITIONS = 3;
    private static final int REQUESTS = 30;

    /** librdkafka's consistent partitioner for a non-null key. */
    static int crc32Partition(String key, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    @Test
    void rewardsPartitionedByCrc32JoinTheirCandidates(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work.resolve("loop"), "crc", PARTITIONS,
                     FeedbackOrderPropertyTest.config(), new InMemorySchemaRegistry())) {
            loop.startInstance("i0");
            Properties settings = new Properties();
            settings.putAll(loop.client());
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            long now = System.currentTimeMillis();
            int elsewhere = 0;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < REQUESTS; i++) {
                    String id = "req-" + i;
                    int partition = crc32Partition(id, PARTITIONS);
                    if (partition != Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS) {
                        elsewhere++;
                    }
                    List<String> tokens = List.of("fly", "to", "boston");
                    producer.send(new ProducerRecord<>(loop.topics.texts(), partition, now, id,
                            loop.text(id, tokens, now)));
                    RewardEvent reward = RewardEvent.newBuilder().setRequestId(id).setEventId("ev-" + id)
                            .setSource("crc32-client").setEventTime(Instant.ofEpochMilli(now + 1))
                            .setReferenceLabels(List.of("O", "O", "B-city")).build();
                    producer.send(new ProducerRecord<>(loop.topics.rewards(), partition, now + 1, id,
                            loop.reward(reward)));
                }
            }
            // The test means something only if murmur2 would have put many of them elsewhere.
            assertTrue(elsewhere >= REQUESTS / 2, "only " + elsewhere + " of " + REQUESTS + " differ");
            loop.awaitAccount("every reward joined", a -> a.get(Accounting.REWARDS_JOINED) == REQUESTS
                    && a.get(Accounting.CONTRAST_SETS_BATCHED) == REQUESTS, Duration.ofSeconds(90));
        }
    }
}
