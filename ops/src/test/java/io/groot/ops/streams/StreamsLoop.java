package io.groot.ops.streams;

import io.groot.ops.broker.TopicSetup;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.SchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.AccountingReader;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.common.StreamThreadFailureHandler;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.Vocabulary;
import io.groot.trainer.service.InitialVersion;
import io.groot.trainer.service.VersionPublisher;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One streams loop under test on a real broker: its own topics and application id, an initial (small, untrained)
 * model version, a producer for raw texts and rewards with chosen timestamps, and any number of streams instances.
 */
public final class StreamsLoop implements AutoCloseable {
    static final List<String> TOKENS = List.of("fly", "to", "new", "york", "from", "boston");
    static final List<String> LABELS = List.of("O", "B-city", "I-city");
    static final String MODEL = "slots";

    public final Topics topics;
    final Properties client;
    final GrootSerdes serdes;
    final String applicationId;
    final int partitions;
    private final Path work;
    private final LocalArtifactStore artifacts;
    private final LoopConfig config;
    private final KafkaProducer<String, byte[]> producer;
    private final List<GrootStreamsApp> instances = new ArrayList<>();

    public StreamsLoop(String bootstrapServers, Path work, String name, int partitions, LoopConfig config,
                SchemaRegistry registry) throws Exception {
        this.work = work;
        this.partitions = partitions;
        this.config = config;
        this.topics = Topics.withPrefix(name + ".");
        this.applicationId = "app-" + name;
        this.client = new Properties();
        client.put("bootstrap.servers", bootstrapServers);
        this.serdes = new GrootSerdes(registry);
        this.artifacts = new LocalArtifactStore(artifactsDir());
        TopicSetup.ensureTopics(client, topics, partitions, (short) 1);
        publishInitialVersion(name);
        Properties producerConfig = new Properties();
        producerConfig.putAll(client);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }

    private void publishInitialVersion(String name) throws Exception {
        try (Labeler labeler = Labeler.create(new LabelerConfig(8, 4, 32, 8, 4, 8, 16, 0f),
                Vocabulary.build(List.of(TOKENS), LABELS), 1);
             VersionPublisher publisher = new VersionPublisher(client, "init-" + name, artifacts,
                     topics.modelVersions(), serdes.modelVersions())) {
            InitialVersion.publish(publisher, MODEL, labeler, 0);
        }
    }

    /** Starts an instance of the application (one stream thread) and waits until it processes. */
    public GrootStreamsApp startInstance(String instance) throws InterruptedException {
        return startInstance(instance, serdes,
                new StreamThreadFailureHandler(StreamThreadFailureHandler.DEFAULT_MAX_IN_A_ROW));
    }

    /**
     * As above, with serdes of its own (a registry client whose caches the test's producer does not fill) and
     * its own handling of failed stream threads.
     */
    public GrootStreamsApp startInstance(String instance, GrootSerdes instanceSerdes,
                                         StreamsUncaughtExceptionHandler threadFailures) throws InterruptedException {
        return startInstance(instance, instanceSerdes, threadFailures, new Properties(), null);
    }

    /**
     * As {@link #startInstance(String)}, with Kafka Streams settings of its own and a listener to the state it
     * restores.
     */
    public GrootStreamsApp startInstance(String instance, Properties streamsSettings, StateRestoreListener restores)
            throws InterruptedException {
        return startInstance(instance, serdes,
                new StreamThreadFailureHandler(StreamThreadFailureHandler.DEFAULT_MAX_IN_A_ROW), streamsSettings,
                restores);
    }

    private GrootStreamsApp startInstance(String instance, GrootSerdes instanceSerdes,
                                          StreamsUncaughtExceptionHandler threadFailures, Properties streamsSettings,
                                          StateRestoreListener restores) throws InterruptedException {
        Properties instanceConfig = new Properties();
        instanceConfig.putAll(client);
        instanceConfig.putAll(streamsSettings);
        GrootStreamsApp app = new GrootStreamsApp(instanceConfig, applicationId, work.resolve("state-" + instance),
                1, 1, topics, instanceSerdes, artifacts, config, threadFailures);
        if (restores != null) {
            app.streams().setGlobalStateRestoreListener(restores);
        }
        instances.add(app);
        app.start(Duration.ofSeconds(60));
        return app;
    }

    void stopInstance(GrootStreamsApp app) {
        instances.remove(app);
        app.close();
    }

    public Path artifactsDir() {
        return work.resolve("artifacts");
    }

    Path work() {
        return work;
    }

    LoopConfig config() {
        return config;
    }

    public String applicationId() {
        return applicationId;
    }

    /** Client settings of this loop's broker. */
    public Properties client() {
        return client;
    }

    public GrootSerdes serdes() {
        return serdes;
    }

    /** The artifact store the instances and the initial version use. */
    public LocalArtifactStore artifacts() {
        return artifacts;
    }

    public byte[] text(String key, List<String> tokens, long timestamp) {
        TextEvent text = TextEvent.newBuilder().setRequestId(key).setText(String.join(" ", tokens))
                .setTokens(tokens).setEventTime(Instant.ofEpochMilli(timestamp)).build();
        return serdes.texts().serialize(topics.texts(), text);
    }

    public byte[] reward(RewardEvent event) {
        return serdes.rewards().serialize(topics.rewards(), event);
    }

    public void send(String topic, String key, byte[] value, long timestamp) {
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value));
    }

    public void flush() {
        producer.flush();
    }

    /**
     * One text per partition far in the future: stream time passes every window + grace in every join task, so
     * every waiting record meets its fate. Returns how many were sent.
     */
    int tick(long timestamp) {
        List<Integer> covered = new ArrayList<>();
        for (int i = 0; covered.size() < partitions; i++) {
            String key = "tick-" + i;
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (!covered.contains(partition)) {
                covered.add(partition);
                send(topics.texts(), key, text(key, List.of("fly"), timestamp), timestamp);
            }
        }
        flush();
        return partitions;
    }

    public LoopAccount account() {
        return AccountingReader.read(client, applicationId, Duration.ofSeconds(30));
    }

    /** Polls the books until {@code settled} holds; fails with the last books seen otherwise. */
    public LoopAccount awaitAccount(String what, Predicate<LoopAccount> settled, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        LoopAccount account = account();
        while (!settled.test(account)) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; books: " + account.counts());
            }
            Thread.sleep(300);
            account = account();
        }
        return account;
    }

    List<TrainingBatch> trainingBatches() {
        return TopicReader.readCommitted(client, topics.trainingBatches(), serdes.trainingBatches().deserializer());
    }

    List<DeadLetter> deadLetters() {
        return TopicReader.readCommitted(client, topics.deadLetters(), serdes.deadLetters().deserializer());
    }

    @Override
    public void close() {
        producer.close();
        new ArrayList<>(instances).forEach(this::stopInstance);
    }
}
