package io.groot.streams.accounting;

import io.groot.schemas.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        List<String> changelogs = existing(clientConfig, timeout, changelog(applicationId, Accounting.TEXTS_STORE),
                changelog(applicationId, Accounting.REWARDS_STORE));
        Map<TopicPartition, Map<String, Long>> latest = new HashMap<>();
        for (ConsumerRecord<String, Long> record : TopicReader.readCommittedRecords(clientConfig, changelogs,
                new StringDeserializer(), new LongDeserializer())) {
            if (record.value() != null) {
                latest.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new HashMap<>())
                        .put(record.key(), record.value());
            }
        }
        Map<String, Long> totals = new TreeMap<>();
        latest.values().forEach(counts -> counts.forEach((name, count) -> totals.merge(name, count, Long::sum)));
        return new LoopAccount(totals);
    }

    /** Those of {@code topics} that exist: changelogs appear when the application first starts. */
    public static List<String> existing(Properties clientConfig, Duration timeout, String... topics) {
        try (Admin admin = Admin.create(clientConfig)) {
            Set<String> names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return List.of(topics).stream().filter(names::contains).toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted listing topics", e);
        }
    }
}
