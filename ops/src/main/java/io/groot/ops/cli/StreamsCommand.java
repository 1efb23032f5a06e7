package io.groot.ops.cli;

import io.groot.ops.metrics.LoopMetrics;
import io.groot.ops.metrics.MetricsEndpoint;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.LoopConfig;
import io.groot.streams.common.StreamThreadFailureHandler;
import io.groot.streams.join.FeedbackPolicy;
import io.groot.trainer.artifact.LocalArtifactStore;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code groot streams}: one instance of the streams application against an existing cluster, until stopped
 * (SIGTERM or SIGINT closes it cleanly). Start more with the same application id to share the partitions.
 */
final class StreamsCommand {
    static final String USAGE = """
            streams options (defaults in brackets):
              --bootstrap-servers HOSTS  the Kafka cluster (required)
              --schema-registry URL      Confluent-API schema registry (required: ids are shared between processes)
              --artifacts DIR            model artifact store shared with the trainer (required)
              --state-dir DIR            local state (RocksDB) of this instance [./groot-streams-state]
              --model NAME               model whose versions generate candidates [slots]
              --application-id ID        Kafka Streams application id [groot-streams-<model>]
              --topic-prefix P           prefix of every topic name [groot.]
              --threads N                stream threads of this instance [1, or --kafka num.stream.threads]
              --replication N            replication factor of internal topics [1, or --kafka
                                         replication.factor]
              --standby-replicas N       warm copies of each task's state kept on other instances: a task
                                         that moves (an instance leaves or fails) resumes from its copy
                                         instead of restoring the changelogs; 1 where instances are two or
                                         more [0, or --kafka num.standby.replicas]
              --k N                      candidates per text [4]
              --max-tokens N             longer texts are dead-lettered [128]
              --window-ms N              feedback joins candidates whose time is within N ms [3600000]
              --grace-ms N               out-of-order records are accepted this late [300000]
              --idle-expiry-ms N         a join task that read nothing for N ms (wall clock) lets its time
                                         run on with the clock, so that rewards and candidates waiting on an
                                         idle partition expire too; 0 = stream time only, for replays that
                                         may pause [the grace]
              --feedback-policy P        several feedback events for the same candidates: first-wins trains
                                         the first at once; last-wins and sum (scalar rewards added) train
                                         when the candidates' window + grace has passed [first-wins]
              --reward NAME              reward against reference feedback [f0.5]
              --max-corrections N        corrected sequences per candidate [4]
              --batch-size N             contrast sets per training batch [32]
              --batch-max-wait-ms N      or whatever is pending after this long [2000]
              --inference-batch N        texts per batched beam search [32]
              --inference-wait-ms N      a partial batch waits at most this long [20]
              --inference-pipeline N     batches a task hands to the model before waiting; 0 = on the stream
                                         thread [1]
              --max-thread-failures N    a stream thread that fails (an outage) is replaced after a pause of
                                         1 s doubling to 15 s; after N failures in a row (no 5 min without
                                         one) the instance stops with an error, for its supervisor to restart
                                         [10]
              --metrics-port N           Prometheus scrape endpoint at http://<metrics-host>:N/metrics [off]
              --metrics-host H           interface the endpoint listens on [127.0.0.1]
              --kafka KEY=VALUE          extra Kafka client setting, repeatable (security.protocol, sasl.*, ssl.*)
            """;

    private StreamsCommand() {
    }

    static void run(Arguments a) throws Exception {
        String bootstrap = required(a, "bootstrap-servers");
        String registryUrl = required(a, "schema-registry");
        Path artifacts = Path.of(required(a, "artifacts"));
        Path stateDir = Path.of(a.string("state-dir", "groot-streams-state"));
        LoopConfig d = LoopConfig.defaults(a.string("model", "slots"));
        LoopConfig config = new LoopConfig(d.modelName(), a.integer("k", d.beamWidth()),
                a.integer("max-tokens", d.maxTokens()),
                Duration.ofMillis(a.longNumber("window-ms", d.rewardWindow().toMillis())),
                Duration.ofMillis(a.longNumber("grace-ms", d.grace().toMillis())),
                a.string("reward", d.rewardFunction()), a.integer("max-corrections", d.maxCorrections()),
                a.integer("batch-size", d.batchSize()),
                Duration.ofMillis(a.longNumber("batch-max-wait-ms", d.batchMaxWait().toMillis())))
                .withInferenceBatching(a.integer("inference-batch", d.inferenceBatch()),
                        Duration.ofMillis(a.longNumber("inference-wait-ms", d.inferenceWait().toMillis())))
                .withInferencePipeline(a.integer("inference-pipeline", d.inferencePipeline()))
                .withFeedbackPolicy(FeedbackPolicy.parse(a.string("feedback-policy", d.feedbackPolicy().label())));
        config = config.withIdleExpiry(Duration.ofMillis(a.longNumber("idle-expiry-ms", config.grace().toMillis())));
        String applicationId = a.string("application-id", GrootStreamsApp.defaultApplicationId(config.modelName()));
        Topics topics = Topics.withPrefix(a.string("topic-prefix", "groot."));
        Properties client = clientConfig(a);
        int threads = streamsSetting(a, "threads", client, StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        int replication = streamsSetting(a, "replication", client, StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        int maxThreadFailures = a.integer("max-thread-failures", StreamThreadFailureHandler.DEFAULT_MAX_IN_A_ROW);
        int metricsPort = a.integer("metrics-port", -1);
        String metricsHost = a.string("metrics-host", "127.0.0.1");
        a.requireAllUsed();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);

        GrootSerdes serdes = new GrootSerdes(new RestSchemaRegistry(registryUrl));
        // The instance is closed (resources close in reverse order) before the shutdown hook lets the JVM halt.
        try (Shutdown shutdown = Shutdown.hook("groot-streams-shutdown", Duration.ofSeconds(60));
             GrootStreamsApp app = new GrootStreamsApp(client, applicationId, stateDir, replication, threads, topics,
                     serdes, new LocalArtifactStore(artifacts), config,
                     new StreamThreadFailureHandler(maxThreadFailures))) {
            app.start(Duration.ofMinutes(5));
            try (MetricsEndpoint metrics = metricsPort < 0 ? null : MetricsEndpoint.start(metricsHost, metricsPort)) {
                if (metrics != null) {
                    metrics.closing(LoopMetrics.bind(metrics.registry(), app, config.modelName()));
                }
                System.out.println("streams instance of " + applicationId + " running; stop with SIGTERM"
                        + (metrics == null ? "" : "; metrics at " + metrics.url()));
                awaitStopOrFailure(shutdown.stopping(), () -> app.streams().state(), Duration.ofSeconds(1));
            }
        }
    }

    /** The {@code --kafka} settings, and {@code --standby-replicas}. */
    static Properties clientConfig(Arguments a) {
        Properties client = new Properties();
        client.putAll(a.clientConfig());
        client.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
                streamsSetting(a, "standby-replicas", client, StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0));
        return client;
    }

    /**
     * An option that stands for a Kafka Streams setting: given, it wins; otherwise a {@code --kafka} value of the
     * setting is kept (the option's default used to override it silently); otherwise {@code fallback}.
     */
    static int streamsSetting(Arguments a, String option, Properties client, String key, int fallback) {
        Object kafka = client.get(key);
        if (kafka == null) {
            return a.integer(option, fallback);
        }
        try {
            return a.integer(option, Integer.parseInt(kafka.toString().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--kafka " + key + " takes a whole number, got '" + kafka + "'");
        }
    }

    /**
     * Waits for a stop (SIGTERM, which counts {@code stopping} down); throws if Kafka Streams stops on its own
     * first: ERROR is final, and a process left in it would look alive while processing nothing. Exiting lets a
     * supervisor restart the instance, which resumes from its last commit.
     */
    static void awaitStopOrFailure(CountDownLatch stopping, Supplier<KafkaStreams.State> state, Duration every)
            throws InterruptedException {
        while (!stopping.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
            KafkaStreams.State now = state.get();
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped on its own (state " + now
                        + "); exiting so that the instance is restarted");
            }
        }
    }

    private static String required(Arguments a, String name) {
        String value = a.string(name, null);
        if (value == null) {
            throw new IllegalArgumentException("streams needs --" + name);
        }
        return value;
    }
}
