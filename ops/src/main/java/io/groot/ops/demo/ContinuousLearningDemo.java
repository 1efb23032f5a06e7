package io.groot.ops.demo;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.ops.io.Directories;
import io.groot.ops.metrics.LoopMetrics;
import io.groot.ops.metrics.MetricsEndpoint;
import io.groot.ops.metrics.TrainerMetrics;
import io.groot.ops.report.LoopReport;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.SchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.accounting.AccountingReader;
import io.groot.streams.accounting.LoopAccount;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.StreamingTrainer;
import io.groot.trainer.service.TrainerBudget;
import io.groot.trainer.service.TrainerConfig;
import io.groot.trainer.service.VersionTraining;
import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The whole loop on one machine: a broker (embedded unless one is given), an initial maximum-likelihood version,
 * the streams application, the trainer, and a simulated feedback source. Runs until the trainer has published
 * enough versions trained on the feedback and they serve, or until the time limit.
 */
public final class ContinuousLearningDemo {
    private final DemoOptions options;
    private final SchemaRegistry registry;
    private final Path report;
    private final PrintStream progress;
    private CountDownLatch stop = new CountDownLatch(1);

    /** @param registry shared by every component of the run (the embedded default is in-memory) */
    public ContinuousLearningDemo(DemoOptions options, SchemaRegistry registry, PrintStream progress) {
        this(options, registry, progress, null);
    }

    /** @param report where to write the HTML report of the run before the loop stops, or null */
    public ContinuousLearningDemo(DemoOptions options, SchemaRegistry registry, PrintStream progress, Path report) {
        this.options = options;
        this.registry = registry;
        this.progress = progress;
        this.report = report;
    }

    /**
     * Stops the run early, closing everything in order (Kafka Streams before the broker), once {@code signal} is
     * counted down: a SIGTERM or Ctrl-C through the command's shutdown hook.
     */
    public ContinuousLearningDemo stopOn(CountDownLatch signal) {
        this.stop = signal;
        return this;
    }

    public Map<String, Object> run() throws Exception {
        long began = System.nanoTime();
        Path work = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("groot-demo-");
        LabelledCorpus corpus = options.dataDir() != null ? LabelledCorpus.read(options.dataDir())
                : SampleCorpus.generate(2400, 300, options.seed());
        progress.println(corpus.describe(options.dataDir() != null ? options.dataDir().toString() : "built-in sample"));
        int seedSize = options.seedSentences() > 0 ? options.seedSentences()
                : Math.min(1000, corpus.train().size() / 10);
        List<LabelledSentence> seed = corpus.train().subList(0, Math.min(seedSize, corpus.train().size() / 2));
        List<LabelledSentence> stream = corpus.train().subList(seed.size(),
                Math.min(corpus.train().size(), seed.size() + options.maxTexts()));

        try (EmbeddedKafkaBroker broker = options.bootstrapServers() == null
                ? EmbeddedKafkaBroker.start(work.resolve("kafka"), options.workDir() == null, 0) : null;
             SchemaRegistryServer registryServer = SchemaRegistryServer.start(registry, 0)) {
            Properties client = new Properties();
            client.putAll(options.clientConfig());
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    broker != null ? broker.bootstrapServers() : options.bootstrapServers());
            progress.println(broker != null ? "embedded Kafka broker at " + broker.bootstrapServers()
                    : "using Kafka at " + options.bootstrapServers());
            progress.println("while it runs: ops/bin/groot status --bootstrap-servers "
                    + client.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + " --schema-registry "
                    + registryServer.url() + " --model " + options.modelName() + " --topic-prefix "
                    + options.topicPrefix());
            Topics topics = Topics.withPrefix(options.topicPrefix());
            TopicSetup.ensureTopics(client, topics, options.partitions(), (short) 1);
            GrootSerdes serdes = new GrootSerdes(registry);
            serdes.registerValueSchemas(topics);
            LocalArtifactStore artifacts = new LocalArtifactStore(work.resolve("artifacts"));
            LoopConfig loop = loopConfig(options);
            TrainerConfig trainerConfig = trainerConfig(options, stream.size());

            ModelVersion initial = InitialModel.publishIfAbsent(client, topics, serdes, artifacts,
                    options.modelName(), corpus, seed, options.architecture(), options.initialEpochs(), (int) options.seed(),
                    progress);
            // An earlier run's books, when the work dir holds one: this run's counts are what it adds to them.
            LoopAccount books = AccountingReader.read(client,
                    GrootStreamsApp.defaultApplicationId(options.modelName()), Duration.ofSeconds(30));
            LoopAccount before = books.get(Accounting.TEXTS_RECEIVED) > 0 ? books : null;
            if (before != null) {
                progress.printf(Locale.ROOT, "this work dir holds an earlier run (books: %d texts, %d rewards "
                                + "received); this run starts the stream over under new request ids, so nothing is "
                                + "trained twice, and counts what it adds%n",
                        before.get(Accounting.TEXTS_RECEIVED), before.get(Accounting.REWARDS_RECEIVED));
            }

            try (GrootStreamsApp app = new GrootStreamsApp(client, GrootStreamsApp.defaultApplicationId(options.modelName()),
                    work.resolve("streams-state"), 1, options.partitions(), topics, serdes, artifacts, loop);
                 StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts, trainerConfig);
                 LoopMonitor monitor = new LoopMonitor(client, topics, serdes, initial);
                 FeedbackSimulator feedback = new FeedbackSimulator(client, serdes, topics.texts(), topics.rewards(),
                         options.maxFeedbackDelay(), options.duplicateRate(), options.seed());
                 MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", 0)) {
                app.start(Duration.ofSeconds(60));
                metrics.closing(LoopMetrics.bind(metrics.registry(), app, options.modelName()));
                // The trainer's own meters too, not its clients': theirs would clash with the streams clients' names.
                TrainerMetrics.bindTrainer(metrics.registry(), trainer, options.modelName());
                progress.println("Prometheus metrics at " + metrics.url());
                Thread trainerThread = daemon(trainer, "groot-trainer");
                daemon(monitor, "groot-monitor");
                Thread feeder = daemon(() -> feed(stream, feedback, monitor, began), "groot-feeder");
                boolean done = awaitDone(began, feeder, feedback, monitor, stream.size());
                boolean stopped = stop.getCount() == 0;
                if (stopped) {
                    progress.println("stopping on a signal: closing the feeder, the trainer, Kafka Streams, then the "
                            + (broker != null ? "embedded broker" : "clients") + "; run again with the same "
                            + "--work-dir to go on from this state");
                }
                if (!stopped) {
                    // Records an earlier run left unprocessed may still be flowing; wait so the counts match the books.
                    monitor.awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(30));
                }
                Map<String, Object> result = result(began, done, feedback, monitor, app, trainerConfig);
                if (stopped) {
                    result.put("stopped", "signal");
                }
                if (before != null) {
                    result.put("accountingBefore", before.counts());
                }
                if (!stopped) {
                    result.put("evaluation", evaluate(corpus, artifacts, initial, monitor));
                }
                if (report != null && !stopped) {
                    Files.writeString(report, LoopReport.html(LoopReport.collect(client, topics, serdes,
                            options.modelName(), artifacts, options.beamWidth(), RewardFunction.parse(options.reward()),
                            500)));
                    progress.println("report written to " + report.toAbsolutePath());
                }
                feeder.interrupt();
                trainer.close();
                trainerThread.join(30_000);
                return result;
            }
        } finally {
            if (options.workDir() == null) {
                Directories.deleteRecursively(work);
            }
        }
    }

    /**
     * Reward-to-serving latency per version trained on feedback: its publication (the watchers swap within a poll
     * of it) minus when its feedback was given, at the median and the 99th percentile.
     */
    private static Map<String, Object> freshness(LoopMonitor monitor) {
        Map<String, Object> out = new LinkedHashMap<>();
        monitor.versions().values().forEach(v -> {
            var p50 = VersionTraining.latencySeconds(v, VersionTraining.FEEDBACK_TIME_P50, v.getCreatedAt());
            var p99 = VersionTraining.latencySeconds(v, VersionTraining.FEEDBACK_TIME_P01, v.getCreatedAt());
            if (p50.isPresent() && p99.isPresent()) {
                out.put("v" + v.getVersion(), Map.of("p50", Math.round(p50.getAsDouble() * 10) / 10.0,
                        "p99", Math.round(p99.getAsDouble() * 10) / 10.0));
            }
        });
        return out;
    }

    /** The process' peak resident memory (Linux VmHWM), or -1 where /proc is not there. */
    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** The streams settings of a demo run (replay needs the same k, reward and corrections). */
    public static LoopConfig loopConfig(DemoOptions options) {
        return new LoopConfig(options.modelName(), options.beamWidth(), 128, Duration.ofMinutes(10),
                Duration.ofMinutes(1), options.reward(), 4, 32, Duration.ofSeconds(1));
    }

    /** The trainer settings of a demo run streaming {@code texts} texts. */
    public static TrainerConfig trainerConfig(DemoOptions options, int texts) {
        int perVersion = options.examplesPerVersion() > 0 ? options.examplesPerVersion() : Math.max(64, texts / 5);
        TrainerConfig d = TrainerConfig.defaults(options.modelName());
        return d.withTraining(d.epochs(), d.learningRate(), options.objective(), d.seed())
                .withExamplesPerVersion(perVersion, Math.min(32, perVersion)).withMaxWait(Duration.ofSeconds(30))
                .withBudget(TrainerBudget.forVersionsOf(perVersion));
    }

    /**
     * Sends four fifths of the texts, waits until a version trained on their feedback serves, then sends the
     * rest: however small the data, some texts are labelled by a new version (the hot swap is shown).
     */
    private void feed(List<LabelledSentence> stream, FeedbackSimulator feedback, LoopMonitor monitor, long began) {
        int held = stream.size() / 5;
        long startVersion = monitor.servingVersion();
        // Request ids are unique per run: a run that continues an earlier one must not look like a redelivery.
        String run = Long.toString(System.currentTimeMillis(), 36) + "-";
        long deadline = began + Duration.ofSeconds(options.maxSeconds()).toNanos();
        try {
            feedback.play(stream.subList(0, stream.size() - held), run, options.textsPerSecond());
            while (monitor.servingVersion() <= startVersion && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            feedback.play(stream.subList(stream.size() - held, stream.size()), run + "late-",
                    options.textsPerSecond());
            feedback.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitDone(long began, Thread feeder, FeedbackSimulator feedback, LoopMonitor monitor,
                              int texts) throws InterruptedException {
        long deadline = began + Duration.ofSeconds(options.maxSeconds()).toNanos();
        long startVersion = monitor.servingVersion();
        long nextReport = 0;
        while (System.nanoTime() < deadline && stop.getCount() > 0) {
            boolean fed = !feeder.isAlive();
            // Done when every text has candidates, all feedback has joined (or was dead-lettered), enough
            // versions were trained on it, and texts were served by one of them (the hot swap happened).
            boolean drained = monitor.candidates() >= texts
                    && monitor.contrastSets() + monitor.deadLetters() >= feedback.rewardsSent();
            boolean swapped = monitor.candidatesByVersion().keySet().stream().anyMatch(v -> v > startVersion);
            if (fed && drained && swapped && monitor.rewardTrainedVersions() >= options.minVersions()) {
                report(began, feedback, monitor, texts);
                return true;
            }
            if (System.nanoTime() >= nextReport) {
                report(began, feedback, monitor, texts);
                nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
            stop.await(200, TimeUnit.MILLISECONDS);
        }
        report(began, feedback, monitor, texts);
        return false;
    }

    private void report(long began, FeedbackSimulator feedback, LoopMonitor monitor, int texts) {
        progress.printf(Locale.ROOT, "[%4.0fs] texts %d/%d  candidates %d %s  rewards %d  joined %d  batches %d  "
                        + "versions %d  serving v%d  dead letters %d%n",
                seconds(began), feedback.textsSent(), texts, monitor.candidates(), monitor.candidatesByVersion(),
                feedback.rewardsSent(), monitor.contrastSets(), monitor.batches(), monitor.versions().size(),
                monitor.servingVersion(), monitor.deadLetters());
    }

    private Map<String, Object> result(long began, boolean done, FeedbackSimulator feedback, LoopMonitor monitor,
                                       GrootStreamsApp app, TrainerConfig trainer) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("completed", done);
        result.put("texts", feedback.textsSent());
        result.put("candidates", monitor.candidates());
        result.put("rewards", feedback.rewardsSent());
        result.put("duplicateRewardsSent", feedback.duplicatesSent());
        LoopAccount account = app.account(Duration.ofSeconds(30));
        result.put("duplicateRewardsDropped", account.get(Accounting.REWARDS_DUPLICATE));
        result.put("accounting", account.counts());
        result.put("joined", monitor.contrastSets());
        result.put("batches", monitor.batches());
        result.put("deadLetters", monitor.deadLetters());
        result.put("modelVersions", monitor.versions().size());
        result.put("rewardTrainedVersions", monitor.rewardTrainedVersions());
        result.put("promotedVersions", monitor.promotedVersions());
        result.put("servingVersion", monitor.servingVersion());
        Map<String, Long> byVersion = new LinkedHashMap<>();
        monitor.candidatesByVersion().forEach((v, n) -> byVersion.put("v" + v, n.get()));
        result.put("candidatesByVersion", byVersion);
        Map<String, Long> origins = new LinkedHashMap<>();
        monitor.memberOrigins().forEach((o, n) -> origins.put(o, n.get()));
        result.put("contrastMembersByOrigin", origins);
        result.put("examplesPerVersion", trainer.examplesPerVersion());
        result.put("elapsedSeconds", Math.round(seconds(began) * 10) / 10.0);
        result.put("freshnessSeconds", freshness(monitor));
        result.put("peakRssMb", peakRssMb());
        return result;
    }

    /** Reward@1 of the initial and the serving version on the test split (or the held-back tail of train). */
    private Map<String, Object> evaluate(LabelledCorpus corpus, LocalArtifactStore artifacts, ModelVersion initial,
                                         LoopMonitor monitor) throws IOException {
        List<LabelledSentence> test = corpus.test().isEmpty() ? corpus.valid() : corpus.test();
        Map<String, Object> out = new LinkedHashMap<>();
        if (test.isEmpty()) {
            return out;
        }
        List<RewardFunction> rewards = List.of(RewardFunction.parse(options.reward()), RewardFunction.parse("f1"));
        out.put("split", corpus.test().isEmpty() ? "valid" : "test");
        out.put("sentences", test.size());
        ModelVersion serving = monitor.versions().values().stream().reduce((a, b) -> b).orElse(initial);
        for (ModelVersion version : List.of(initial, serving)) {
            try (Labeler labeler = LabelerArtifact.fromBytes(artifacts.get(version.getServingArtifact()))) {
                out.put("v" + version.getServingVersion(), Evaluation.atRankOne(labeler, test, rewards,
                        options.beamWidth()));
            }
        }
        return out;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static double seconds(long began) {
        return (System.nanoTime() - began) / 1e9;
    }
}
