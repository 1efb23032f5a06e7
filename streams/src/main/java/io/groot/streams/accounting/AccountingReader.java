package io.groot.streams.accounting;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the books of a running (or stopped) application from its accounting changelogs: the latest committed
 * count per partition and counter, summed. Works from any process; needs no access to the instances.
 */
public final class AccountingReader {
    private AccountingReader() {
    }

    /** Kafka Streams' name for a store's changelog topic. */
    public static String changelog(String applicationId, String storeName) {
        return applicationId + "-" + storeName + "-changelog";
    }

    public static LoopAccount read(Properties clientConfig, String applicationId, Duration timeout) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, Long> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String store : List.of(Accounting.TEXTS_STORE, Accounting.REWARDS_STORE)) {
                String topic = changelog(applicationId, store);
                List<PartitionInfo> infos = consumer.listTopics(timeout).containsKey(topic)
                        ? consumer.partitionsFor(topic, timeout) : List.of();
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            return new LoopAccount(sumLatest(consumer, partitions, timeout));
        }
    }

    private static Map<String, Long> sumLatest(KafkaConsumer<String, Long> consumer, List<TopicPartition> partitions,
                                               Duration timeout) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Map<String, Long>> latest = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("accounting changelogs not read to their end within " + timeout);
            }
            for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null) {
                    latest.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new HashMap<>())
                            .put(record.key(), record.value());
                }
            }
        }
        Map<String, Long> totals = new TreeMap<>();
        latest.values().forEach(counts -> counts.forEach((name, count) -> totals.merge(name, count, Long::sum)));
        return totals;
    }
}
