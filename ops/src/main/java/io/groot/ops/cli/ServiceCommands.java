package io.groot.ops.cli;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.ops.demo.InitialModel;
import io.groot.ops.io.Directories;
import io.groot.ops.metrics.MetricsEndpoint;
import io.groot.ops.metrics.TrainerMetrics;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.service.KafkaClientListener;
import io.groot.trainer.service.Rollback;
import io.groot.trainer.service.StreamingTrainer;
import io.groot.trainer.service.TrainerBudget;
import io.groot.trainer.service.TrainerConfig;
import org.apache.kafka.clients.CommonClientConfigs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The commands a deployment runs besides the streams instances: {@code groot topics} (create the loop's topics),
 * {@code groot init-model} (version 1 from labelled data) and {@code groot trainer} (the streaming trainer).
 */
final class ServiceCommands {
    private static final String COMMON = """
              --bootstrap-servers HOSTS  the Kafka cluster (required)
              --kafka KEY=VALUE          extra Kafka client setting, repeatable
              --topic-prefix P           prefix of every topic name [groot.]
            """;

    /** The options of dev-cluster, topics, init-model, trainer and rollback, by command. */
    static final Map<String, String> USAGE_BY_COMMAND = Map.of(
            "dev-cluster", """
            dev-cluster options: an embedded broker and schema registry on 127.0.0.1 for local multi-process
            trials, until stopped (prints the --bootstrap-servers and --schema-registry to use)
              --work-dir DIR             keep broker data and schemas here [temporary, deleted]
              --port N                   the broker's port [free]
            """,
            "topics", """
            topics options:
            """ + COMMON + """
              --partitions N             partitions of texts, candidates, rewards [2]
              --replication N            replication factor [1]
              --schema-registry URL      also register every topic's value schema there (<topic>-value), so
                                         producers in any language can look them up [not registered]
            """,
            "init-model", """
            init-model options:
            """ + COMMON + """
              --schema-registry URL      Confluent-API schema registry (required)
              --artifacts DIR            model artifact store (required)
              --data DIR                 labelled data, as for demo (required)
              --model NAME               model name [slots]
              --sentences N              the first N training sentences [a tenth, at most 1000]
              --epochs N                 maximum-likelihood epochs [4]
              --seed N                   random seed [7]
              --encoder NAME             the frozen pretrained encoder: none, minilm-layers, minilm,
                                         minilm-q-layers, minilm-q or bge-small (groot demo --help says what they
                                         are) [minilm-q-layers]
            """,
            "trainer", """
            trainer options:
            """ + COMMON + """
              --schema-registry URL      Confluent-API schema registry (required)
              --artifacts DIR            model artifact store (required)
              --model NAME               model name [slots]
              --examples-per-version N   contrast sets per trained version [256]
              --max-wait-ms N            train a version once the oldest waiting set is this old, with
                                         fewer sets [30000]
              --epochs N --learning-rate X --seed N   training [2, 0.001, 42]
              --tau X --alpha X --lambda X   GROOT loss [0.1, 0, 0.5]
              --max-staleness N          contrast sets from versions more than N behind the serving one are
                                         dropped, counted [10]
              --max-sets-per-version N   a version trains on the newest N waiting sets at most; older ones are
                                         skipped, counted (0: all) [4 x --examples-per-version]
              --cpu-share X              share of its time the trainer trains: after a version that trained t s
                                         it rests t(1-X)/X s (1: never rests) [1]
              --metrics-port N           Prometheus endpoint [off]
              --metrics-host H           its address [127.0.0.1]
              --gate-metric NAME         what the gate judges by: a reward or span-f1 (corpus span F1) [f0.5]
            """,
            "rollback", """
            rollback options: the artifact is checked before the pin is published; the pin goes out under the
            trainer's transactional id, fencing it, so it needs the trainer's ACLs
            """ + COMMON + """
              --schema-registry URL      Confluent-API schema registry (required)
              --artifacts DIR            model artifact store (required)
              --to-version N             the version to pin (required)
              --model NAME               model name [slots]
              --reason TEXT              recorded with the pin
            """);

    private ServiceCommands() {
    }

    /** The embedded broker and registry as a long-running local cluster (the demo's, without the loop). */
    static void devCluster(Arguments a) throws Exception {
        String work = a.string("work-dir", null);
        int port = a.integer("port", 0);
        a.requireAllUsed();
        Path dir = work != null ? Path.of(work) : java.nio.file.Files.createTempDirectory("groot-dev-");
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.persistentAt(dir.resolve("schemas.jsonl"));
        // Closed (the broker stopped, the files gone) before the shutdown hook lets the JVM halt.
        try (Shutdown shutdown = Shutdown.hook("groot-dev-cluster-shutdown", Duration.ofSeconds(30))) {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), work == null, port);
                 SchemaRegistryServer server = SchemaRegistryServer.start(registry, 0)) {
                System.out.println("--bootstrap-servers " + broker.bootstrapServers() + " --schema-registry "
                        + server.url());
                shutdown.stopping().await();
            } finally {
                if (work == null) {
                    Directories.deleteRecursively(dir);
                }
            }
        }
    }

    static void topics(Arguments a) {
        Properties client = client(a);
        Topics topics = Topics.withPrefix(a.string("topic-prefix", "groot."));
        int partitions = a.integer("partitions", 2);
        short replication = (short) a.integer("replication", 1);
        String registry = a.string("schema-registry", null);
        a.requireAllUsed();
        TopicSetup.ensureTopics(client, topics, partitions, replication);
        System.out.println("topics ready: " + topics.all());
        if (registry != null) {
            try (RestSchemaRegistry schemas = new RestSchemaRegistry(registry)) {
                System.out.println("value schemas registered (subject=id): "
                        + new GrootSerdes(schemas).registerValueSchemas(topics));
            }
        }
    }

    static void initModel(Arguments a) throws Exception {
        Properties client = client(a);
        Topics topics = Topics.withPrefix(a.string("topic-prefix", "groot."));
        GrootSerdes serdes = new GrootSerdes(new RestSchemaRegistry(required(a, "schema-registry")));
        LocalArtifactStore artifacts = new LocalArtifactStore(Path.of(required(a, "artifacts")));
        LabelledCorpus corpus = LabelledCorpus.read(Path.of(required(a, "data")));
        String model = a.string("model", "slots");
        int sentences = a.integer("sentences", Math.min(1000, corpus.train().size() / 10));
        int epochs = a.integer("epochs", 4);
        int seed = a.integer("seed", 7);
        LabelerConfig architecture = TrainingOptions.architecture(a);
        a.requireAllUsed();
        InitialModel.publishIfAbsent(client, topics, serdes, artifacts, model, corpus,
                corpus.train().subList(0, Math.min(sentences, corpus.train().size())), architecture, epochs, seed,
                System.out);
    }

    static void trainer(Arguments a) throws Exception {
        Properties client = client(a);
        Topics topics = Topics.withPrefix(a.string("topic-prefix", "groot."));
        GrootSerdes serdes = new GrootSerdes(new RestSchemaRegistry(required(a, "schema-registry")));
        LocalArtifactStore artifacts = new LocalArtifactStore(Path.of(required(a, "artifacts")));
        TrainerConfig d = TrainerConfig.defaults(a.string("model", "slots"));
        int perVersion = a.integer("examples-per-version", d.examplesPerVersion());
        TrainerConfig config = TrainingOptions.training(a, d)
                .withExamplesPerVersion(perVersion, Math.min(d.minExamples(), perVersion))
                .withMaxWait(Duration.ofMillis(a.longNumber("max-wait-ms", d.maxWait().toMillis())))
                .withGateMetric(a.string("gate-metric", d.rewardFunction()))
                .withMaxStaleness(a.longNumber("max-staleness", d.maxStaleness()))
                .withBudget(new TrainerBudget(a.integer("max-sets-per-version",
                        TrainerBudget.SETS_PER_VERSION_BOUND * perVersion),
                        a.number("cpu-share", d.budget().cpuShare())));
        int metricsPort = a.integer("metrics-port", -1);
        String metricsHost = a.string("metrics-host", "127.0.0.1");
        a.requireAllUsed();
        try (MetricsEndpoint metrics = metricsPort < 0 ? null : MetricsEndpoint.start(metricsHost, metricsPort);
             StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts, config,
                     metrics == null ? KafkaClientListener.NONE : TrainerMetrics.clientMeters(metrics,
                             config.modelName()))) {
            if (metrics != null) {
                TrainerMetrics.bind(metrics.registry(), trainer, config.modelName());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(trainer::close, "groot-trainer-shutdown"));
            System.out.println("trainer for '" + config.modelName() + "' running; stop with SIGTERM"
                    + (metrics == null ? "" : "; metrics at " + metrics.url()));
            runUntilDone(trainer, "groot-trainer");
        }
    }

    /**
     * Runs {@code task} on a thread named {@code name} until it returns; throws if it died of an exception, so the
     * command exits non-zero and a supervisor restarts it or says why.
     */
    static void runUntilDone(Runnable task, String name) throws InterruptedException {
        Thread thread = new Thread(task, name);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException(name + " stopped: " + failure.get().getMessage(), failure.get());
        }
    }

    static void rollback(Arguments a) throws Exception {
        Properties client = client(a);
        Topics topics = Topics.withPrefix(a.string("topic-prefix", "groot."));
        GrootSerdes serdes = new GrootSerdes(new RestSchemaRegistry(required(a, "schema-registry")));
        LocalArtifactStore artifacts = new LocalArtifactStore(Path.of(required(a, "artifacts")));
        String model = a.string("model", "slots");
        long version = Long.parseLong(required(a, "to-version"));
        String reason = a.string("reason", "");
        a.requireAllUsed();
        ModelVersion pin = Rollback.publish(client, topics.modelVersions(), serdes.modelVersions(), artifacts, model,
                version, reason);
        System.out.println("model '" + model + "' version " + pin.getVersion() + ": " + pin.getStatusReason());
    }

    private static Properties client(Arguments a) {
        Properties client = new Properties();
        client.putAll(a.clientConfig());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, required(a, "bootstrap-servers"));
        return client;
    }

    private static String required(Arguments a, String name) {
        String value = a.string(name, null);
        if (value == null) {
            throw new IllegalArgumentException("this command needs --" + name);
        }
        return value;
    }
}
