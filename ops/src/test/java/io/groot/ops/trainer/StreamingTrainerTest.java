package io.groot.ops.trainer;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.ops.demo.InitialModel;
import io.groot.ops.demo.SampleCorpus;
import io.groot.ops.status.LoopStatus;
import io.groot.schemas.ArtifactRef;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.serving.ModelVersionWatcher;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.artifact.ArtifactStore;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.groot.OfflineRound;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.Rollback;
import io.groot.trainer.service.StreamingTrainer;
import io.groot.trainer.service.TrainerBudget;
import io.groot.trainer.service.TrainerConfig;
import io.groot.trainer.service.VersionPublisher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming trainer against a real broker, where its consumer's group membership is at stake. */
class StreamingTrainerTest {
    private static final int MAX_POLL_INTERVAL_MS = 1000;

    @TempDir
    Path work;
    private EmbeddedKafkaBroker broker;
    private final Properties client = new Properties();
    private final Topics topics = Topics.withPrefix("st.");
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final GrootSerdes serdes = new GrootSerdes(registry);
    /** 64 contrast sets from version 1's candidates. */
    private List<ContrastSet> sets;

    @BeforeEach
    void publishVersionOne() throws Exception {
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
        client.put("bootstrap.servers", broker.bootstrapServers());
        TopicSetup.ensureTopics(client, topics, 1, (short) 1);
        LabelledCorpus corpus = SampleCorpus.generate(200, 50, 3);
        ModelVersion first = InitialModel.publishIfAbsent(client, topics, serdes, artifacts(), "slots", corpus,
                corpus.train().subList(0, 60), io.groot.trainer.model.LabelerConfig.defaults(), 2, 7, new PrintStream(OutputStream.nullOutputStream()));
        try (Labeler labeler = LabelerArtifact.fromBytes(artifacts().get(first.getArtifact()))) {
            sets = OfflineRound.contrastSets(labeler, 1, corpus.train().subList(0, 64), 4,
                    new ContrastSetBuilder(RewardFunction.parse("f0.5"), new Corrector(4)), 32);
        }
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void aVersionMayTrainForLongerThanTheConsumersMaxPollInterval() throws Exception {
        // Versions of 32 sets, trained for enough epochs to outlast the consumer's max.poll.interval.ms: a
        // consumer that does not poll for that long leaves its group, and the offsets committed with the
        // version would be refused.
        Properties trainerClient = new Properties();
        trainerClient.putAll(client);
        trainerClient.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
        try (StreamingTrainer trainer = new StreamingTrainer(trainerClient, topics, serdes, artifacts(), config(30));
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = start(trainer);
            for (int version = 0; version < 2; version++) {
                send(producer, sets.subList(32 * version, 32 * (version + 1)), "b" + version);
                awaitPublished(trainer, thread, version + 1);
            }
            trainer.close();
            thread.join(30_000);
        }

        List<ModelVersion> versions = ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions());
        assertEquals(List.of(1L, 2L, 3L), versions.stream().map(ModelVersion::getVersion).toList());
        for (ModelVersion trained : versions.subList(1, 3)) {
            assertTrue(trained.getMetrics().get("train.seconds") * 1000 > MAX_POLL_INTERVAL_MS,
                    "version " + trained.getVersion() + " trained for " + trained.getMetrics().get("train.seconds")
                            + " s, no longer than max.poll.interval.ms: the test shows nothing");
        }
        assertEquals(List.of(2L, 4L), versions.subList(1, 3).stream()
                .map(v -> v.getTrainedThrough().get(0).getOffset()).toList(),
                "each version commits the offsets of the batches it consumed");
    }

    @Test
    void setsFromVersionsFurtherBehindTheServingOneThanTheMaxStalenessAreDroppedAndCounted() throws Exception {
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts(),
                config(1).withMaxStaleness(0));
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = start(trainer);
            send(producer, sets.subList(0, 32), "fresh");
            awaitPublished(trainer, thread, 1);
            // Version 2 now serves: sets generated by version 1 are one version behind it.
            send(producer, sets.subList(32, 64), "stale");
            send(producer, sets.subList(0, 32).stream()
                    .map(set -> ContrastSet.newBuilder(set).setModelVersion(2).build()).toList(), "current");
            awaitPublished(trainer, thread, 2);
            trainer.close();
            thread.join(30_000);
        }
        ModelVersion third = ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions()).get(2);
        assertEquals(3L, third.getVersion());
        assertEquals(32.0, third.getMetrics().get("staleness.droppedTotal"));
        assertEquals(0.0, third.getMetrics().get("staleness.max"));
    }

    @Test
    void aVersionOverTheBudgetTrainsOnTheNewestSetsAndCountsTheOlderOnesAsSkipped() throws Exception {
        Instant old = Instant.ofEpochSecond(1_000_000);
        Instant recent = Instant.now();
        // A version of 64 sets, 32 at most trained: the 32 that came first must be the ones skipped.
        TrainerConfig budgeted = config(1).withExamplesPerVersion(64, 64).withBudget(new TrainerBudget(32, 1.0));
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts(), budgeted);
             KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, withFeedbackTime(sets.subList(0, 32), old), "older");
            send(producer, withFeedbackTime(sets.subList(32, 64), recent), "newer");
            Thread thread = start(trainer);
            awaitPublished(trainer, thread, 1);
            trainer.close();
            thread.join(30_000);
            assertEquals(32, trainer.skippedOverBudget());
        }
        ModelVersion second = versions().get(1);
        assertEquals(32.0, second.getMetrics().get(StreamingTrainer.BUDGET_SKIPPED));
        assertEquals(32.0, second.getMetrics().get("train.examples") + second.getMetrics().get("gate.examples"));
        assertEquals((double) recent.toEpochMilli(), second.getMetrics().get("feedback.time.p01"),
                "the sets trained on are the newer ones");
        assertEquals(4, second.getTrainedThrough().get(0).getOffset(), "the skipped sets' offsets commit with it");
    }

    @Test
    void aCpuShareMakesTheTrainerRestBetweenVersionsInProportionToItsTraining() throws Exception {
        double share = 0.25;
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts(),
                config(30).withBudget(new TrainerBudget(0, share)));
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = start(trainer);
            send(producer, sets.subList(0, 32), "first");
            awaitPublished(trainer, thread, 1);
            send(producer, sets.subList(32, 64), "second");
            awaitPublished(trainer, thread, 2);
            trainer.close();
            thread.join(30_000);
        }
        ModelVersion second = versions().get(1);
        ModelVersion third = versions().get(2);
        double trained = second.getMetrics().get("train.seconds");
        double gap = Duration.between(second.getCreatedAt(), third.getCreatedAt()).toMillis() / 1e3;
        double rest = trained * (1 - share) / share;
        // The next sets came at once; without the rest version 3 would follow after its own training alone.
        assertTrue(gap >= rest + third.getMetrics().get("train.seconds") - 0.5, "version 3 came " + gap
                + " s after version 2, which trained " + trained + " s: a rest of " + rest + " s was due");
    }

    private static List<ContrastSet> withFeedbackTime(List<ContrastSet> toSend, Instant time) {
        return toSend.stream().map(set -> ContrastSet.newBuilder(set).setFeedbackTime(time).build()).toList();
    }

    @Test
    void batchesReadWhileTheSchemaRegistryIsDownWaitForItInsteadOfBeingSkipped() throws Exception {
        SchemaRegistryServer server = SchemaRegistryServer.start(registry, 0);
        int port = URI.create(server.url()).getPort();
        RestSchemaRegistry trainerRegistry = new RestSchemaRegistry(server.url());
        // The trainer can read model versions during the outage; it has never read a training batch.
        trainerRegistry.schemaById(serdes.modelVersions().schemaId(topics.modelVersions()));
        server.close();
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, new GrootSerdes(trainerRegistry),
                artifacts(), config(1));
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = start(trainer);
            send(producer, sets.subList(0, 32), "during-outage");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (trainer.registryWaits() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            server = SchemaRegistryServer.start(registry, port);
            awaitPublished(trainer, thread, 1);
            trainer.close();
            thread.join(30_000);
            assertTrue(trainer.registryWaits() >= 2, "the trainer met the outage: " + trainer.registryWaits());
            assertEquals(0, trainer.unreadableBatches(), "no batch was skipped as unreadable");
        } finally {
            server.close();
        }
        ModelVersion second = ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions()).get(1);
        assertEquals(2, second.getTrainedThrough().get(0).getOffset(), "version 2 trained on both batches");
    }

    @Test
    void unreadableBatchesAreDeadLetteredOnceWithTheOffsetsPastThemAloneOrWithTheNextVersion() throws Exception {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts(), config(1));
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = start(trainer);
            producer.send(new ProducerRecord<>(topics.trainingBatches(), "alone", garbage));
            producer.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (deadLetters().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, deadLetters().size(), "a dead letter with no sets pending is written at once");
            assertEquals(0, trainer.publishedVersions());
            assertEquals(Map.of(topics.trainingBatches(), 0L), LoopStatus.consumerLag(client, config(1).groupId(),
                    List.of(topics.trainingBatches()), Duration.ofSeconds(30)), "and the offset past it with it");

            // Now among sets that wait for the version: the dead letter goes in the version's transaction.
            send(producer, sets.subList(0, 16), "first-half");
            producer.send(new ProducerRecord<>(topics.trainingBatches(), "among-sets", garbage));
            send(producer, sets.subList(16, 32), "second-half");
            awaitPublished(trainer, thread, 1);
            trainer.close();
            thread.join(30_000);
            assertEquals(2, trainer.unreadableBatches());
        }
        List<DeadLetter> letters = deadLetters();
        assertEquals(List.of(0L, 2L), letters.stream().map(DeadLetter::getSourceOffset).toList(),
                "each unreadable batch once, in order");
        for (DeadLetter letter : letters) {
            assertEquals(StreamingTrainer.UNREADABLE_BATCH, letter.getReason());
            assertEquals(topics.trainingBatches(), letter.getSourceTopic());
            assertArrayEquals(garbage, bytes(letter.getOriginalValue()));
        }
        ModelVersion second = ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions()).get(1);
        assertEquals(4, second.getTrainedThrough().get(0).getOffset(), "version 2 committed past both");
        assertEquals(32.0, second.getMetrics().get("train.examples") + second.getMetrics().get("gate.examples"),
                "every set of the readable batches trained or judged");
    }

    private List<DeadLetter> deadLetters() {
        return TopicReader.readCommitted(client, topics.deadLetters(), serdes.deadLetters().deserializer());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void aRollbackWhileAVersionTrainsPinsServingAndTheNextVersionTrainsFromThePinnedOne() throws Exception {
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts(), config(30));
             KafkaProducer<String, byte[]> producer = producer();
             ServingModel serving = new ServingModel();
             ModelVersionWatcher watcher = new ModelVersionWatcher(client, topics.modelVersions(), "slots",
                     serdes.modelVersions(), artifacts(), serving)) {
            Thread thread = start(trainer);
            new Thread(watcher, "st-watcher").start();
            send(producer, sets.subList(0, 32), "first");
            awaitPublished(trainer, thread, 1);
            awaitServing(serving, 2);

            send(producer, sets.subList(32, 64), "second");
            Thread.sleep(1000); // the next version is training (30 epochs take longer than a second, see above)
            Rollback.publish(client, topics.modelVersions(), serdes.modelVersions(), artifacts(), "slots", 1, "test");
            awaitServing(serving, 1);
            awaitPublished(trainer, thread, 2);
            trainer.close();
            thread.join(30_000);
        }
        assertPinnedToVersionOneThenTrainedFromIt("the version that trained from v2 meanwhile is dropped; numbers "
                + "stay unique");
    }

    @Test
    void aRollbackCommittedWhileAVersionIsBeingPublishedFencesThatVersionInsteadOfLandingBehindIt() throws Exception {
        GatedArtifactStore gated = new GatedArtifactStore(artifacts());
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, gated, config(1));
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = start(trainer);
            send(producer, sets.subList(0, 32), "first");
            awaitPublished(trainer, thread, 1);

            gated.close();
            send(producer, sets.subList(32, 64), "second");
            // Version 3 is trained and has passed the trainer's last look for rollbacks: it is storing its artifact.
            assertTrue(gated.awaitHeld(Duration.ofMinutes(2)), "the trainer never stored version 3's artifact");
            Rollback.publish(client, topics.modelVersions(), serdes.modelVersions(), artifacts(), "slots", 1, "test");
            gated.open();
            awaitPublished(trainer, thread, 2);
            trainer.close();
            thread.join(30_000);
        }
        assertPinnedToVersionOneThenTrainedFromIt("the version being published when the pin came is fenced, not "
                + "published after it");
    }

    /** Versions 1 and 2, the pin to 1 as version 3, and version 4 trained from the pinned one. */
    private void assertPinnedToVersionOneThenTrainedFromIt(String numbering) {
        List<ModelVersion> versions = versions();
        assertEquals(List.of(1L, 2L, 3L, 4L), versions.stream().map(ModelVersion::getVersion).toList(), numbering);
        ModelVersion pin = versions.get(2);
        assertEquals(PromotionStatus.ROLLED_BACK_TO, pin.getStatus());
        assertEquals(versions.get(0).getArtifact(), pin.getServingArtifact());
        assertEquals(1L, versions.get(3).getParentVersion(), "trained from the pinned version, not from v2");
    }

    @Test
    void aTrainerFencedWithoutARollbackStopsRatherThanFightAnotherTrainerForItsTransactionalId() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts(), config(1));
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = new Thread(trainer, "st-trainer");
            thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
            thread.start();
            send(producer, sets.subList(0, 32), "first");
            awaitPublished(trainer, thread, 1);
            // A second trainer of the model starts: it takes the transactional id, and publishes no rollback.
            try (VersionPublisher second = new VersionPublisher(client, StreamingTrainer.transactionalId("slots"),
                    artifacts(), topics.modelVersions(), serdes.modelVersions())) {
                send(producer, sets.subList(32, 64), "second");
                thread.join(Duration.ofMinutes(2).toMillis());
            }
            assertFalse(thread.isAlive(), "the fenced trainer is still running");
        }
        assertTrue(failure.get() != null && failure.get().getMessage().contains("another trainer of 'slots' runs"),
                "stopped with: " + failure.get());
        assertEquals(List.of(1L, 2L), versions().stream().map(ModelVersion::getVersion).toList());
    }

    /** Holds the trainer between its last look for rollbacks and its commit: storing the version's artifact. */
    private static final class GatedArtifactStore implements ArtifactStore {
        private final ArtifactStore inner;
        private final Semaphore held = new Semaphore(0);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        GatedArtifactStore(ArtifactStore inner) {
            this.inner = inner;
        }

        /** The next artifacts stored wait for {@link #open}. */
        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        boolean awaitHeld(Duration patience) throws InterruptedException {
            return held.tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public ArtifactRef put(byte[] content) throws IOException {
            CountDownLatch waitFor = gate;
            if (waitFor.getCount() > 0) {
                held.release();
                try {
                    waitFor.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("stopped while the test held the artifact");
                }
            }
            return inner.put(content);
        }

        @Override
        public byte[] get(ArtifactRef ref) throws IOException {
            return inner.get(ref);
        }
    }

    private List<ModelVersion> versions() {
        return ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions());
    }

    private static void awaitServing(ServingModel serving, long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (serving.version().orElse(-1) != version && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(version, serving.version().orElse(-1), "serving version");
    }

    /** Versions of 32 sets, batches of 16, every set trained on, a gate that passes everything. */
    private static TrainerConfig config(int epochs) {
        TrainerConfig d = TrainerConfig.defaults("slots");
        return new TrainerConfig("slots", "st-trainer", 32, Duration.ofMinutes(5), 32, epochs, 16, d.learningRate(),
                d.objective(), Integer.MAX_VALUE, 1.0, d.rewardFunction(), d.maxStaleness(), d.seed(),
                TrainerBudget.UNBOUNDED);
    }

    private LocalArtifactStore artifacts() {
        return new LocalArtifactStore(work.resolve("artifacts"));
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer());
    }

    private static Thread start(StreamingTrainer trainer) {
        Thread thread = new Thread(trainer, "st-trainer");
        thread.start();
        return thread;
    }

    /** The sets as training batches of 16. */
    private void send(KafkaProducer<String, byte[]> producer, List<ContrastSet> toSend, String name) {
        for (int from = 0; from < toSend.size(); from += 16) {
            TrainingBatch batch = new TrainingBatch(name + from, Instant.now(),
                    new ArrayList<>(toSend.subList(from, Math.min(toSend.size(), from + 16))));
            producer.send(new ProducerRecord<>(topics.trainingBatches(), name + from,
                    serdes.trainingBatches().serialize(topics.trainingBatches(), batch)));
        }
        producer.flush();
    }

    private static void awaitPublished(StreamingTrainer trainer, Thread thread, int versions)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (trainer.publishedVersions() < versions && thread.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
