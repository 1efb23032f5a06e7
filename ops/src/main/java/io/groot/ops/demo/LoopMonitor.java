package io.groot.ops.demo;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.serde.GrootSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Properties;

/**
 * Counts what actually reached the loop's topics (committed records only): the demo's progress and its
 * final accounting come from Kafka, not from the components' own say-so.
 */
public final class LoopMonitor implements Runnable, AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final GrootSerdes serdes;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong candidates = new AtomicLong();
    private final AtomicLong contrastSets = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Map<Long, AtomicLong> candidatesByVersion = new ConcurrentSkipListMap<>();
    private final Map<Long, ModelVersion> versions = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicLong> originCounts = new ConcurrentHashMap<>();

    /**
     * Counts what is written from now on; {@code serving} (the version serving at start) is the baseline, so a
     * run that continues an earlier one does not count the earlier run's records.
     */
    public LoopMonitor(Properties clientConfig, Topics topics, GrootSerdes serdes, ModelVersion serving) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.serdes = serdes;
        this.versions.put(serving.getVersion(), serving);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.candidates(), topics.trainingBatches(), topics.modelVersions(),
                topics.deadLetters())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.endOffsets(partitions).forEach(consumer::seek);
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    count(record);
                }
            }
        } catch (WakeupException stopping) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void count(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.candidates())) {
            CandidateSet set = serdes.candidates().deserialize(topic, record.value());
            candidates.incrementAndGet();
            candidatesByVersion.computeIfAbsent(set.getModelVersion(), v -> new AtomicLong()).incrementAndGet();
        } else if (topic.equals(topics.trainingBatches())) {
            TrainingBatch batch = serdes.trainingBatches().deserialize(topic, record.value());
            batches.incrementAndGet();
            contrastSets.addAndGet(batch.getContrastSets().size());
            batch.getContrastSets().forEach(set -> set.getMembers().forEach(member ->
                    originCounts.computeIfAbsent(member.getOrigin().name(), o -> new AtomicLong()).incrementAndGet()));
        } else if (topic.equals(topics.modelVersions())) {
            ModelVersion version = serdes.modelVersions().deserialize(topic, record.value());
            versions.put(version.getVersion(), version);
        } else {
            deadLetters.incrementAndGet();
        }
    }

    /**
     * Waits until nothing new was counted for {@code quiet} (at most {@code max}): the loop has written what it
     * will, so the counts and the books, written in the same transactions, can be compared.
     */
    public void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long last = total();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - quietSince < quiet.toNanos()) {
            Thread.sleep(100);
            long now = total();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private long total() {
        return candidates.get() + contrastSets.get() + batches.get() + deadLetters.get() + versions.size();
    }

    public long candidates() {
        return candidates.get();
    }

    public long contrastSets() {
        return contrastSets.get();
    }

    public long batches() {
        return batches.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    public Map<Long, AtomicLong> candidatesByVersion() {
        return candidatesByVersion;
    }

    public Map<Long, ModelVersion> versions() {
        return versions;
    }

    public Map<String, AtomicLong> memberOrigins() {
        return originCounts;
    }

    /** Versions trained from rewards during this run. */
    public long rewardTrainedVersions() {
        return versions.values().stream().skip(1).filter(v -> v.getParentVersion() != null).count();
    }

    public long servingVersion() {
        return versions.values().stream().reduce((a, b) -> b).map(ModelVersion::getServingVersion).orElse(0L);
    }

    public long promotedVersions() {
        return versions.values().stream().filter(v -> v.getStatus() == PromotionStatus.PROMOTED).count();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
