package io.groot.streams.serving;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.TopicReader;
import io.groot.schemas.serde.AvroSerde;
import io.groot.trainer.artifact.ArtifactStore;
import io.groot.trainer.model.LabelerArtifact;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows the model-versions topic (committed records only) and hot-swaps the {@link ServingModel} to each
 * record's serving version. Artifacts are checked against their SHA-256 before loading; a corrupt or unloadable
 * one is refused and the current version keeps serving. Every instance reads the whole topic (no group).
 */
public final class ModelVersionWatcher implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelVersionWatcher.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final String modelName;
    private final AvroSerde<ModelVersion> serde;
    private final ArtifactStore store;
    private final ServingModel serving;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<ModelVersion> latest = new AtomicReference<>();
    private final AtomicReference<Served> served = new AtomicReference<>();

    /** The record whose version serves now, and since when (the swap). */
    public record Served(ModelVersion record, Instant since) {
    }

    public ModelVersionWatcher(Properties clientConfig, String topic, String modelName, AvroSerde<ModelVersion> serde,
                               ArtifactStore store, ServingModel serving) {
        this.consumer = TopicReader.committedConsumer(clientConfig, new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topic = topic;
        this.modelName = modelName;
        this.serde = serde;
        this.store = store;
        this.serving = serving;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = TopicReader.assignAll(consumer, List.of(topic), Duration.ofSeconds(60));
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                Map<TopicPartition, Long> before = new HashMap<>();
                partitions.forEach(p -> before.put(p, consumer.position(p)));
                try {
                    ModelVersion newest = null;
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (modelName.equals(record.key())) {
                            newest = serde.deserialize(topic, record.value());
                        }
                    }
                    if (newest != null) {
                        apply(newest);
                    }
                } catch (WakeupException stopping) {
                    throw stopping;
                } catch (RuntimeException e) {
                    // A registry or broker outage must not end the watcher: inference would never swap again.
                    failures.incrementAndGet();
                    LOG.error("cannot read model '{}' versions ({}); still serving {}, reading them again in {} ms",
                            modelName, e.toString(), serving.version(), RETRY_AFTER.toMillis());
                    before.forEach(consumer::seek);
                    pause(RETRY_AFTER);
                }
            }
        } catch (WakeupException stopping) {
            LOG.debug("model version watcher stopping");
        } finally {
            consumer.close();
        }
    }

    /** Waits before reading again; a close (which wakes the consumer up) ends the wait early. */
    private void pause(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Times the versions could not be read (and were read again after a pause) since the watcher started. */
    public long readFailures() {
        return failures.get();
    }

    /** Only the newest record of a poll matters: history is skipped, not loaded version by version. */
    private void apply(ModelVersion record) {
        latest.set(record);
        long target = record.getServingVersion();
        if (serving.version().orElse(-1) == target) {
            return;
        }
        try {
            serving.swap(target, LabelerArtifact.fromBytes(store.get(record.getServingArtifact())));
            swaps.incrementAndGet();
            served.set(new Served(record, Instant.now()));
            LOG.info("now serving model '{}' version {} ({})", modelName, target, record.getStatusReason());
        } catch (Exception e) {
            refused.incrementAndGet();
            LOG.error("refusing model '{}' version {}: {}; still serving {}", modelName, target, e.toString(),
                    serving.version());
        }
    }

    public long swaps() {
        return swaps.get();
    }

    /** The newest version record seen (it may be a rejected one), if any. */
    public Optional<ModelVersion> latestRecord() {
        return Optional.ofNullable(latest.get());
    }

    public Optional<Served> served() {
        return Optional.ofNullable(served.get());
    }

    public long refusedVersions() {
        return refused.get();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
