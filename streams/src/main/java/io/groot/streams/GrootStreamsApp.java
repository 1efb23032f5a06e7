package io.groot.streams;

import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.accounting.AccountingReader;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.candidates.CandidateGenerationTopology;
import io.groot.streams.common.StreamThreadFailureHandler;
import io.groot.streams.join.RewardJoinTopology;
import io.groot.streams.serving.ModelVersionWatcher;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.artifact.ArtifactStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The streams side of the loop as one Kafka Streams application (candidate generation and reward join are
 * independent sub-topologies), plus the watcher that hot-swaps the serving model. Scale out by running more
 * instances with the same application id: partitions are spread over them, state follows via changelogs.
 */
public final class GrootStreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrootStreamsApp.class);

    private final ServingModel serving;
    private final ModelVersionWatcher watcher;
    private final Thread watcherThread;
    private final KafkaStreams streams;
    private final Properties clientConfig;
    private final String applicationId;
    private final Topics topics;

    /** @param streamThreads processing threads of this instance (at most one per input partition is useful) */
    public GrootStreamsApp(Properties clientConfig, String applicationId, Path stateDir, int replication,
                           int streamThreads, Topics topics, GrootSerdes serdes, ArtifactStore artifacts,
                           LoopConfig config) {
        this(clientConfig, applicationId, stateDir, replication, streamThreads, topics, serdes, artifacts, config,
                new StreamThreadFailureHandler(StreamThreadFailureHandler.DEFAULT_MAX_IN_A_ROW));
    }

    /** @param threadFailures what happens to a stream thread that failed */
    public GrootStreamsApp(Properties clientConfig, String applicationId, Path stateDir, int replication,
                           int streamThreads, Topics topics, GrootSerdes serdes, ArtifactStore artifacts,
                           LoopConfig config, StreamsUncaughtExceptionHandler threadFailures) {
        this.clientConfig = clientConfig;
        this.applicationId = applicationId;
        this.topics = topics;
        this.serving = new ServingModel(streamThreads);
        this.watcher = new ModelVersionWatcher(clientConfig, topics.modelVersions(), config.modelName(),
                serdes.modelVersions(), artifacts, serving);
        this.watcherThread = new Thread(watcher, "groot-model-watcher");
        this.watcherThread.setDaemon(true);
        Topology topology = topology(topics, serdes, serving, config);
        this.streams = new KafkaStreams(topology,
                streamsProperties(clientConfig, applicationId, stateDir, replication, streamThreads));
        this.streams.setUncaughtExceptionHandler(threadFailures);
    }

    /** The application id the command line uses for a model unless told otherwise. */
    public static String defaultApplicationId(String modelName) {
        return "groot-streams-" + modelName;
    }

    public static Topology topology(Topics topics, GrootSerdes serdes, ServingModel serving, LoopConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        CandidateGenerationTopology.build(builder, topics, serdes, serving, config);
        RewardJoinTopology.build(builder, topics, serdes, serving, config);
        return builder.build();
    }

    public static Properties streamsProperties(Properties clientConfig, String applicationId, Path stateDir,
                                               int replication, int streamThreads) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100); // low latency unless told otherwise
        String inFlight = ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION;
        if (!clientConfig.containsKey(inFlight) && !clientConfig.containsKey(StreamsConfig.producerPrefix(inFlight))) {
            // One produce request in flight per connection: under transactions v2 a transaction's first batch to a
            // partition is often refused with CONCURRENT_TRANSACTIONS (the last commit's markers are still being
            // written), and a batch pipelined behind it then reaches the broker first; the broker refuses that one
            // as OutOfOrderSequence (KAFKA-18202) and logs it at ERROR. Both are retried, so nothing is lost, but
            // with one request in flight the later batch waits for the first instead.
            props.put(StreamsConfig.producerPrefix(inFlight), 1);
        }
        boolean sessionTimeoutSet = Stream.of("", StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX)
                .anyMatch(prefix -> clientConfig.containsKey(prefix + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        if (!sessionTimeoutSet) {
            // A stream thread replaced after a failure does not leave the group, so its successor's rebalance waits
            // out the old member's session: 44 s of no processing under the consumer default of 45 s
            // (RegistryOutageTest). 10 s was Kafka Streams' own default before 3.0.
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    /** Starts following model versions, waits until one is served, then starts processing. */
    public void start(Duration modelTimeout) throws InterruptedException {
        requireCoPartitioned(topics.candidates(), topics.rewards());
        watcherThread.start();
        if (!serving.awaitAnyVersion(modelTimeout)) {
            throw new IllegalStateException("no model version to serve appeared within " + modelTimeout);
        }
        streams.start();
        LOG.info("streams started, serving version {}", serving.version());
    }

    /** Feedback meets its candidates only if both topics spread request ids over the same partitions. */
    private void requireCoPartitioned(String candidates, String rewards) throws InterruptedException {
        try (Admin admin = Admin.create(clientConfig)) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(candidates, rewards))
                    .allTopicNames().get(60, TimeUnit.SECONDS);
            int a = described.get(candidates).partitions().size();
            int b = described.get(rewards).partitions().size();
            if (a != b) {
                throw new IllegalStateException("topics " + candidates + " (" + a + " partitions) and " + rewards
                        + " (" + b + ") must have the same partition count: feedback is joined by request id");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + candidates + " and " + rewards + ": " + e, e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public String applicationId() {
        return applicationId;
    }

    /** The application's books, over all its instances, read from the accounting changelogs. */
    public LoopAccount account(Duration timeout) {
        return AccountingReader.read(clientConfig, applicationId, timeout);
    }

    public ServingModel serving() {
        return serving;
    }

    public ModelVersionWatcher watcher() {
        return watcher;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        watcher.close();
        try {
            watcherThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        serving.close();
    }
}
