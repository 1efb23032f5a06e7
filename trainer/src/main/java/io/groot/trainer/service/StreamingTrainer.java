package io.groot.trainer.service;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.DeadLetterHeaders;
import io.groot.schemas.DeadLetterRecords;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.TopicOffset;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.SchemaRegistryUnavailableException;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.ArtifactStore;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.model.ModelThreads;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trainer service: consumes training batches, trains the serving version with the GROOT loss into a new
 * version once enough contrast sets are pending, gates it on held-out feedback, and publishes it with the
 * consumed offsets in one transaction. Its checkpoint is the model-versions log itself: on start it resumes
 * from the serving version and the offsets committed with it. A {@link Rollback} published while it runs takes
 * effect before its next version: that version trains from the pinned one.
 */
public final class StreamingTrainer implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingTrainer.class);
    /** How long a fenced trainer waits for the rollback that fenced it before it takes itself for a zombie. */
    private static final Duration FENCED_PATIENCE = Duration.ofSeconds(30);
    /** The dead-letter reason of a training batch the trainer cannot read. */
    public static final String UNREADABLE_BATCH = "unreadable-training-batch";
    /** The version metric of the waiting sets it skipped, over {@link TrainerBudget#maxSetsPerVersion}. */
    public static final String BUDGET_SKIPPED = "budget.skipped";

    private final Properties clientConfig;
    private final String batchesTopic;
    private final String versionsTopic;
    private final String deadLettersTopic;
    private final GrootSerdes serdes;
    private final ArtifactStore store;
    private final TrainerConfig config;
    private final GateMetric gateReward;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaClientListener clients;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<ContrastSet> pending = new ArrayList<>();
    /** Dead letters of unreadable batches, written with the offsets past them (see {@link #commitDeadLetters}). */
    private final List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong droppedStale = new AtomicLong();
    /** Older waiting sets a version did not take, over the budget's sets per version. */
    private final AtomicLong skippedOverBudget = new AtomicLong();
    private final AtomicLong unreadableBatches = new AtomicLong();
    private final AtomicLong registryWaits = new AtomicLong();
    /** {@link #pending}'s size as of the last poll, for other threads (metrics). */
    private volatile int pendingSets;
    private long pendingSince;
    /** No version trains before this (epoch ms): the rest the budget's CPU share asks for after the last one. */
    private long restUntil;
    /** Nanoseconds spent decoding the pending sets' batches: with the rest, shows where a version's time goes. */
    private long decodeNanos;
    /** Trains versions, so that the consumer's thread can keep it in its group meanwhile. */
    private final ExecutorService trainingThread = ModelThreads.start("groot-trainer-training", 1);
    /** Whether a version is training: partitions assigned meanwhile are paused too. */
    private boolean training;
    /** Partition revocations so far: one during training voids the version. */
    private long revocations;
    /** Publishes versions under {@link #transactionalId}; replaced after a rollback fenced it. */
    private VersionPublisher publisher;

    public StreamingTrainer(Properties clientConfig, Topics topics, GrootSerdes serdes,
                            ArtifactStore store, TrainerConfig config) {
        this(clientConfig, topics, serdes, store, config, KafkaClientListener.NONE);
    }

    /**
     * @param clients told of the trainer's consumers (training batches, rollbacks) and of each transactional producer
     *                it publishes with
     */
    public StreamingTrainer(Properties clientConfig, Topics topics, GrootSerdes serdes,
                            ArtifactStore store, TrainerConfig config, KafkaClientListener clients) {
        this.clientConfig = clientConfig;
        this.batchesTopic = topics.trainingBatches();
        this.versionsTopic = topics.modelVersions();
        this.deadLettersTopic = topics.deadLetters();
        this.serdes = serdes;
        this.store = store;
        this.config = config;
        this.gateReward = GateMetric.parse(config.rewardFunction());
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.clients = clients;
        clients.consumerAdded(consumer);
    }

    /** The trainer's transactional id: one trainer per model publishes; a {@link Rollback} fences it. */
    public static String transactionalId(String modelName) {
        return "groot-trainer-" + modelName;
    }

    private VersionPublisher openPublisher() {
        return new VersionPublisher(clientConfig, transactionalId(config.modelName()), store, versionsTopic,
                serdes.modelVersions(), clients);
    }

    @Override
    public void run() {
        // Closed in finally: a stop arrives as a WakeupException from poll, and the model's native memory must not
        // wait for a finalizer.
        Labeler labeler = null;
        try (RollbackFollower rollbacks = new RollbackFollower(clientConfig, versionsTopic, config.modelName(),
                serdes.modelVersions(), clients)) {
            publisher = openPublisher();
            awaitServingVersion(); // the topic exists from then on, and the follower can start
            rollbacks.start();
            // Read after the follower started: a rollback committed before is in this read, any later one it sees.
            ModelVersion serving = awaitServingVersion();
            labeler = load(serving);
            long lastVersion = serving.getVersion();
            consumer.subscribe(List.of(batchesTopic), new ForgetUncommitted());
            LOG.info("trainer for '{}' resumes from version {} on {}", config.modelName(), serving.getServingVersion(),
                    labeler.device());
            while (running.get()) {
                if (!acceptAll(consumer.poll(Duration.ofMillis(200)), serving.getServingVersion())) {
                    sleep(1000);
                }
                if (pending.isEmpty() && !deadLetters.isEmpty()) {
                    commitDeadLetters(rollbacks, lastVersion);
                }
                pendingSets = pending.size();
                Optional<ModelVersion> pinned = rollbacks.take(lastVersion);
                if (pinned.isPresent()) {
                    serving = pinned.get();
                    lastVersion = serving.getVersion();
                    labeler.close();
                    labeler = null;
                    labeler = load(serving);
                    // The rollback fenced this trainer's producer (Rollback.publish): a new one takes the id back.
                    publisher.close();
                    publisher = openPublisher();
                    LOG.info("model '{}' {}; the next version trains from it", config.modelName(),
                            serving.getStatusReason());
                }
                if (ready()) {
                    Optional<ModelVersion> next = trainAndPublish(labeler, serving, lastVersion + 1, rollbacks);
                    if (next.isPresent()) {
                        lastVersion = next.get().getVersion();
                    }
                    if (next.isPresent() && next.get().getStatus() == PromotionStatus.PROMOTED) {
                        serving = next.get();
                    } else {
                        labeler.close();
                        labeler = null; // a failed load must not be closed twice
                        labeler = load(serving);
                    }
                }
            }
        } catch (WakeupException stopping) {
            LOG.debug("trainer woken up to stop");
        } catch (IOException e) {
            throw new IllegalStateException("trainer cannot read or store model artifacts: " + e, e);
        } finally {
            stopTraining();
            if (publisher != null) {
                publisher.close();
            }
            if (labeler != null) {
                labeler.close();
            }
            clients.consumerRemoved(consumer);
            consumer.close();
        }
    }

    /**
     * Takes the records in; false if the schema registry could not be asked about one. That record and every one
     * after it are then read again from the next poll: skipping them would lose the training data.
     */
    private boolean acceptAll(ConsumerRecords<String, byte[]> records, long servingVersion) {
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int p = 0; p < partitions.size(); p++) {
            for (ConsumerRecord<String, byte[]> record : records.records(partitions.get(p))) {
                try {
                    accept(record, servingVersion);
                } catch (SchemaRegistryUnavailableException e) {
                    registryWaits.incrementAndGet();
                    LOG.warn("cannot read the training batch at {}-{}@{} while the schema registry is "
                            + "unavailable; reading it again in a second: {}", record.topic(), record.partition(),
                            record.offset(), e.getMessage());
                    consumer.seek(partitions.get(p), record.offset());
                    for (TopicPartition unread : partitions.subList(p + 1, partitions.size())) {
                        consumer.seek(unread, records.records(unread).get(0).offset());
                    }
                    return false;
                }
            }
        }
        return true;
    }

    private void accept(ConsumerRecord<String, byte[]> record, long servingVersion) {
        TrainingBatch batch;
        long began = System.nanoTime();
        try {
            batch = serdes.trainingBatches().deserialize(record.topic(), record.value());
            decodeNanos += System.nanoTime() - began;
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            deadLetters.add(deadLetter(record, e));
            unreadableBatches.incrementAndGet();
            // WARN, not ERROR: nothing is lost (the bytes go to the dead-letter topic with the reason), and the
            // unreadable-batches metric and its alert are how an operator hears of it.
            LOG.warn("dead-lettering unreadable training batch at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            batch = null;
        }
        if (batch != null) {
            for (ContrastSet set : batch.getContrastSets()) {
                if (servingVersion - set.getModelVersion() > config.maxStaleness()) {
                    droppedStale.incrementAndGet();
                } else {
                    pending.add(set);
                }
            }
        }
        if (pendingSince == 0 && !pending.isEmpty()) {
            pendingSince = System.currentTimeMillis();
        }
        consumed.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    }

    /** The dead letter of a batch that cannot be read, with its bytes and where it was read. */
    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        DeadLetter letter = DeadLetterRecords.of(record.value(), UNREADABLE_BATCH, String.valueOf(e.getMessage()),
                new TopicOffset(record.topic(), record.partition(), record.offset()));
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(deadLettersTopic, record.key(),
                serdes.deadLetters().serialize(deadLettersTopic, letter));
        DeadLetterHeaders.annotate(out.headers(), letter);
        return out;
    }

    /**
     * Dead letters with no sets pending commit at once, with the offsets past them; otherwise they go with the next
     * version, in its transaction (a crash before either reads the batches again and writes them once).
     */
    private void commitDeadLetters(RollbackFollower rollbacks, long lastVersion) {
        try {
            publisher.commit(List.copyOf(deadLetters), Map.copyOf(consumed), consumer.groupMetadata());
            deadLetters.clear();
        } catch (VersionPublisher.FencedException fenced) {
            awaitRollbackAfter(fenced, rollbacks, lastVersion);
            LOG.info("a rollback fenced the trainer as it wrote dead letters; they are written again after it");
        }
    }

    /**
     * A fenced publisher means a rollback took the trainer's transactional id (its pin follows within moments), or
     * another trainer of the model did: then this one stops.
     */
    private void awaitRollbackAfter(VersionPublisher.FencedException fenced, RollbackFollower rollbacks,
                                    long lastVersion) {
        if (!rollbacks.arrived(lastVersion, FENCED_PATIENCE)) {
            throw new IllegalStateException("transactional id '" + transactionalId(config.modelName())
                    + "' was taken and no rollback followed within " + FENCED_PATIENCE.toSeconds() + " s: "
                    + "another trainer of '" + config.modelName() + "' runs; this one stops", fenced);
        }
    }

    private boolean ready() {
        if (System.currentTimeMillis() < restUntil) {
            return false;
        }
        if (pending.size() >= config.examplesPerVersion()) {
            return true;
        }
        return pending.size() >= config.minExamples()
                && System.currentTimeMillis() - pendingSince >= config.maxWait().toMillis();
    }

    /**
     * The version published, or empty if partitions were revoked while it trained, or serving was rolled back
     * meanwhile (the labeler is then spoilt; the sets are trained again).
     */
    private Optional<ModelVersion> trainAndPublish(Labeler labeler, ModelVersion serving, long version,
                                                   RollbackFollower rollbacks)
            throws IOException {
        double collectSeconds = (System.currentTimeMillis() - pendingSince) / 1e3;
        List<ContrastSet> chosen = List.copyOf(config.budget().chosen(pending));
        long trainingBegan = System.currentTimeMillis();
        Optional<VersionTraining.Outcome> trained = trainInGroup(labeler, chosen, version);
        restUntil = System.currentTimeMillis()
                + config.budget().restMillis(System.currentTimeMillis() - trainingBegan);
        if (trained.isEmpty()) {
            LOG.info("partitions were revoked while version {} trained; dropped it, the sets are read again", version);
            return Optional.empty();
        }
        if (rollbacks.arrived(version - 1)) {
            LOG.info("serving was rolled back while version {} trained; dropped it, its sets train again", version);
            return Optional.empty();
        }
        VersionTraining.Outcome outcome = trained.get();
        boolean passes = outcome.passes();
        double loss = outcome.loss();
        double newReward = outcome.heldOutReward();
        double servingReward = outcome.parentHeldOutReward();
        Map<String, Double> metrics = new TreeMap<>(outcome.metrics());
        metrics.put("staleness.max", (double) chosen.stream()
                .mapToLong(s -> serving.getServingVersion() - s.getModelVersion()).max().orElse(0));
        metrics.put("staleness.droppedTotal", (double) droppedStale.get());
        int skipped = pending.size() - chosen.size();
        metrics.put(BUDGET_SKIPPED, (double) skipped);
        metrics.put("budget.skippedTotal", (double) (skippedOverBudget.get() + skipped));
        long storing = System.nanoTime();
        var artifact = publisher.store(labeler);
        metrics.put("cycle.collectSeconds", collectSeconds);
        metrics.put("cycle.decodeSeconds", decodeNanos / 1e9);
        metrics.put("cycle.artifactSeconds", (System.nanoTime() - storing) / 1e9);
        String reason = passes
                ? String.format("held-out %s@1 %.4f vs serving %.4f", gateReward.name(), newReward, servingReward)
                : String.format("rejected: held-out %s@1 %.4f below serving %.4f - %.2f (loss %.4f)",
                gateReward.name(), newReward, servingReward, config.gateTolerance(), loss);
        VersionPublisher.Release release = new VersionPublisher.Release(config.modelName(), version,
                serving.getServingVersion(), artifact, passes ? PromotionStatus.PROMOTED : PromotionStatus.REJECTED,
                reason, passes ? version : serving.getServingVersion(),
                passes ? artifact : serving.getServingArtifact(), metrics, trainedThrough(), outcome.trainExamples(),
                config.trainingSettings());
        ModelVersion record;
        try {
            record = publisher.publish(release, List.copyOf(deadLetters), Map.copyOf(consumed),
                    consumer.groupMetadata());
        } catch (VersionPublisher.FencedException fenced) {
            // Between the check above and this commit a rollback fenced the trainer.
            awaitRollbackAfter(fenced, rollbacks, version - 1);
            LOG.info("a rollback fenced version {} as it was published; dropped it, its sets train again", version);
            return Optional.empty();
        }
        deadLetters.clear();
        published.incrementAndGet();
        skippedOverBudget.addAndGet(skipped);
        LOG.info("model '{}' version {} {} ({} examples{}, loss {})", config.modelName(), version,
                record.getStatus(), outcome.trainExamples(),
                skipped == 0 ? "" : "; " + skipped + " older sets skipped over the budget",
                String.format("%.4f", loss));
        pending.clear();
        pendingSince = 0;
        decodeNanos = 0;
        return Optional.of(record);
    }

    /**
     * Trains on a thread of its own while this one goes on polling the consumer, its partitions paused (no record
     * comes back): a consumer that does not poll within {@code max.poll.interval.ms} leaves its group, and the
     * offsets committed with the version would then be refused. Empty if partitions were revoked meanwhile: the
     * sets are no longer this trainer's to publish.
     */
    private Optional<VersionTraining.Outcome> trainInGroup(Labeler labeler, List<ContrastSet> sets, long version) {
        long revokedBefore = revocations;
        training = true;
        consumer.pause(consumer.assignment());
        Future<VersionTraining.Outcome> outcome = trainingThread.submit(() ->
                VersionTraining.train(labeler, sets, config, version));
        try {
            while (true) {
                try {
                    VersionTraining.Outcome done = outcome.get(100, TimeUnit.MILLISECONDS);
                    return revocations == revokedBefore ? Optional.of(done) : Optional.empty();
                } catch (TimeoutException stillTraining) {
                    consumer.poll(Duration.ZERO);
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } finally {
            training = false;
            consumer.resume(consumer.assignment());
        }
    }

    /** Waits for a version still training (on wake-up or failure), so the labeler is not freed under it. */
    private void stopTraining() {
        ModelThreads.stop(trainingThread, Duration.ofMinutes(5));
    }

    private List<TopicOffset> trainedThrough() {
        List<TopicOffset> out = new ArrayList<>();
        consumed.forEach((tp, offset) -> out.add(new TopicOffset(tp.topic(), tp.partition(), offset.offset())));
        out.sort((a, b) -> Integer.compare(a.getPartition(), b.getPartition()));
        return out;
    }

    private ModelVersion awaitServingVersion() {
        while (running.get()) {
            var latest = ModelVersionLog.latest(clientConfig, versionsTopic, serdes.modelVersions(), config.modelName());
            if (latest.isPresent()) {
                return latest.get();
            }
            LOG.info("waiting for a first version of model '{}' on {}", config.modelName(), versionsTopic);
            sleep(1000);
        }
        throw new WakeupException();
    }

    private Labeler load(ModelVersion version) throws IOException {
        return LabelerArtifact.fromBytes(store.get(version.getServingArtifact()));
    }

    /** Versions this trainer published since it started. */
    public long publishedVersions() {
        return published.get();
    }

    public long droppedStale() {
        return droppedStale.get();
    }

    /** Waiting sets skipped over the budget's sets per version, in the versions published since it started. */
    public long skippedOverBudget() {
        return skippedOverBudget.get();
    }

    public long unreadableBatches() {
        return unreadableBatches.get();
    }

    /** Contrast sets read and waiting for the next version, as of the last poll. */
    public int pendingSets() {
        return pendingSets;
    }

    /** Times a training batch was read again because the schema registry was unavailable. */
    public long registryWaits() {
        return registryWaits.get();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    /** Pending sets of revoked partitions are not ours to train on: drop them all and resume from commits. */
    private final class ForgetUncommitted implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revocations++;
            pending.clear();
            deadLetters.clear();
            consumed.clear();
            pendingSince = 0;
            decodeNanos = 0;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<TopicPartition> assigned = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
            for (TopicPartition partition : assigned) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null) {
                    consumer.seek(partition, offset);
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            if (training) {
                consumer.pause(partitions);
            }
        }
    }
}
