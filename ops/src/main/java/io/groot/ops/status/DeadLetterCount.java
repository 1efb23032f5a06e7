package io.groot.ops.status;

import io.groot.schemas.DeadLetterHeaders;
import io.groot.schemas.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The committed records of the dead-letter topic by the reason in their headers, from every writer (the streams
 * application, the trainer, the connectors). Reads headers, never decodes a value.
 *
 * @param complete false if reading stopped at its time budget: a flooded topic must not hang {@code groot status}
 */
public record DeadLetterCount(Map<String, Long> byReason, long records, boolean complete) {
    static final String NO_REASON = "(no reason header)";

    public static DeadLetterCount read(Properties client, String topic, Duration timeout, Duration budget) {
        Map<String, Long> counts = new TreeMap<>();
        long records = 0;
        long deadline = System.nanoTime() + budget.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.committedConsumer(client,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = TopicReader.assignAll(consumer, List.of(topic), timeout);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() >= deadline) {
                    return new DeadLetterCount(counts, records, false);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header reason = record.headers().lastHeader(DeadLetterHeaders.REASON);
                    counts.merge(reason == null ? NO_REASON : new String(reason.value(), StandardCharsets.UTF_8),
                            1L, Long::sum);
                    records++;
                }
            }
        }
        return new DeadLetterCount(counts, records, true);
    }

    public String render() {
        return byReason + (complete ? " (every writer's, by reason)"
                : " (every writer's, by reason: the first " + records + " only, the rest not read in time)");
    }
}
