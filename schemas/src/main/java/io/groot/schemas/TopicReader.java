package io.groot.schemas;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/** Reads a topic's committed records from the beginning to its current end, without a consumer group. */
public final class TopicReader {
    private TopicReader() {
    }

    public static <T> List<T> readCommitted(Properties clientConfig, String topic, Deserializer<T> values) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readCommittedRecords(clientConfig, List.of(topic),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            out.add(values.deserialize(topic, record.value()));
        }
        return out;
    }

    /** Every committed record of the topics (keys, values, headers, offsets), partition by partition. */
    public static <K, V> List<ConsumerRecord<K, V>> readCommittedRecords(Properties clientConfig,
                                                                         Collection<String> topics,
                                                                         Deserializer<K> keys, Deserializer<V> values) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        forEachCommitted(clientConfig, topics, keys, values, Duration.ofSeconds(30), null, out::add);
        return out;
    }

    /**
     * Hands each committed record of the topics, from the beginning to their current ends, to {@code action}
     * without keeping them.
     *
     * @param budget how long to read before giving up, or null to read to the end
     * @return false if the budget ran out first
     */
    public static <K, V> boolean forEachCommitted(Properties clientConfig, Collection<String> topics,
                                                  Deserializer<K> keys, Deserializer<V> values, Duration timeout,
                                                  Duration budget, Consumer<ConsumerRecord<K, V>> action) {
        long deadline = budget == null ? 0 : System.nanoTime() + budget.toNanos();
        try (KafkaConsumer<K, V> consumer = committedConsumer(clientConfig, keys, values)) {
            List<TopicPartition> partitions = assignAll(consumer, topics, timeout);
            consumer.seekToBeginning(partitions);
            // Under read_committed, end offsets are the last stable offsets: open transactions are not waited for.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (budget != null && System.nanoTime() - deadline >= 0) {
                    return false;
                }
                consumer.poll(Duration.ofMillis(200)).forEach(action);
            }
        }
        return true;
    }

    /** A consumer of committed records outside any consumer group: it is given partitions by {@link #assignAll}. */
    public static <K, V> KafkaConsumer<K, V> committedConsumer(Properties clientConfig, Deserializer<K> keys,
                                                               Deserializer<V> values) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(props, keys, values);
    }

    /** Assigns {@code consumer} every partition of {@code topics}, and returns them. */
    public static List<TopicPartition> assignAll(KafkaConsumer<?, ?> consumer, Collection<String> topics,
                                                 Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, timeout)
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        return partitions;
    }
}
