package io.groot.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.ops.demo.ContinuousLearningDemo;
import io.groot.ops.demo.DemoOptions;
import io.groot.schemas.registry.InMemorySchemaRegistry;

import io.groot.trainer.bench.QualityBenchmark;
import io.groot.trainer.bench.QualityBenchmarkConfig;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.MentionConvention;
import io.groot.trainer.groot.GrootObjective;

import io.groot.ops.bench.LoopBenchmark;
import io.groot.ops.bench.ThroughputBenchmark;
import io.groot.ops.demo.SampleCorpus;
import io.groot.ops.io.Directories;
import io.groot.ops.report.LoopReport;
import io.groot.ops.status.LoopStatus;
import io.groot.trainer.service.TrainerConfig;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.reward.RewardFunction;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.GrootStreamsApp;
import org.apache.kafka.clients.CommonClientConfigs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The {@code groot} command line. */
public final class Groot {
    private static final String OVERVIEW = """
            usage: groot <command> [options]

            commands:
              demo    run the whole loop on an embedded Kafka broker (or --bootstrap-servers) and print its
                      accounting as one line of JSON
              bench-quality
                      train the maximum-likelihood baseline, GROOT from it and two ablations on a labelled data
                      set; print the test-split table and write it as JSON
              dev-cluster
                      an embedded broker and schema registry on 127.0.0.1 for local multi-process trials
              topics  create the loop's topics (co-partitioned texts, candidates, rewards; compacted versions)
              init-model
                      train version 1 by maximum likelihood on labelled data and publish it (once per model)
              trainer run the streaming trainer: training batches in, gated model versions out
              rollback
                      pin serving to an earlier version that passed its gate; inference hot-swaps to it and the
                      trainer's next version trains from it
              streams run one instance of the streams application against an existing cluster, until stopped
              replay evaluate|retrain
                      score model versions side by side on logged feedback (topics or an archive), or train a
                      new version from a base version on it, through the loop's own correction and training code
              report  an HTML page with the loop's history: reward and loss per version, reward at ranks of the
                      serving vs previous version, throughput and latency over time
              status  the loop's books (every text and reward accounted for), consumer lag and model versions
                      of a running or stopped application
              bench   throughput of each stage against its own baseline in one run (ratios of medians)
              help    this text

            groot <command> --help prints that command's options alone.
            """;

    private static final String DEMO_USAGE = """
            demo options (defaults in brackets):
              --data DIR                 labelled data: DIR/{train,valid,test}/seq.in+seq.out, or DIR/train.txt
                                         etc. in CoNLL format [a built-in generated sample]
              --bootstrap-servers HOSTS  use this Kafka cluster, start no broker [embedded broker on 127.0.0.1]
              --kafka KEY=VALUE          extra Kafka client setting, repeatable (security.protocol, sasl.*, ssl.*)
              --max-seconds N            stop after N seconds whatever happened [600]
              --rate N                   texts sent per second [150]
              --seed-sentences N         labelled sentences for the initial maximum-likelihood version
                                         [a tenth of the training split, at most 1000]
              --initial-epochs N         epochs of that initial training [4]
              --encoder NAME             version 1's frozen pretrained encoder, whose word vectors join words, shape
                                         and characters: none, minilm-layers (all-MiniLM-L6-v2, the mean of its
                                         six layers), minilm (its last layer), minilm-q-layers and minilm-q (the
                                         same on its int8 twin), or bge-small [minilm-q-layers]
              --max-texts N              most texts streamed through the loop [20000]
              --examples-per-version N   contrast sets per trained version [texts / 5, at least 64]
              --min-versions N           stop after N versions trained on feedback [2]
              --partitions N             partitions of texts, candidates, rewards [2]
              --k N                      beam width: candidates per text [4]
              --reward NAME              f0.5, f1, f2 (span F-beta), token-accuracy, exact-match [f0.5]
              --tau X --alpha X --lambda X   the trainer's GROOT loss [0.1, 0, 0.5]
              --max-feedback-delay-ms N  feedback arrives up to N ms after its text, in random order [3000]
              --duplicate-rate X         fraction of feedback delivered twice [0.05]
              --topic-prefix P           prefix of every topic name [groot.]
              --model NAME               model name (key of model-versions) [slots]
              --work-dir DIR             keep broker data, state and artifacts here [temporary, deleted]
              --seed N                   random seed [7]
              --report FILE              write the run's HTML report (as groot report does) before stopping
            """;

    private static final String REPORT_USAGE = """
            report options: --bootstrap-servers, --schema-registry (required), --artifacts DIR (for the rank
              comparison), --model, --topic-prefix, --k, --reward, --recent N (feedback events scored) [500],
              --out FILE [groot-report.html]
            """;

    private static final String BENCH_USAGE = """
            bench options: --data DIR [the built-in sample] --texts N [2000] --repeats N [3]
              --warmup N (runs first, not counted: the JIT compiles Kafka's paths for about 30 s) [2]
              --join-records N (requests the join stage replays, cycling through the texts) [40000]
              --join-partitions N (the join stage's partitions, and stream threads on each side) [1]
              --stages inference,join,training,loop [inference,join,training] --kafka KEY=VALUE (both sides)
              --out FILE [bench.json]
            loop stage (the whole loop, each component a process, at a rising offered rate; needs --data):
              --rates N,N,... (texts/s, one step each, stopping at the first whose lag grows)
              [20,40,60,80,100,130,160,200,250,300] --step-seconds N [60] --warmup-seconds N [45]
              --instances N (groot streams processes) [1] --partitions N [2] --reward-delay-ms N [2000]
              --seed-sentences N (init-model's) [1000] --initial-epochs N [4]
              --encoder none|minilm-layers|minilm|minilm-q-layers|minilm-q|bge-small (the labeler's encoder)
              [minilm-q-layers]
              --max-sets-per-version N --cpu-share X (the trainer's budget, as groot trainer takes them) [its]
            """;

    private static final String STATUS_USAGE = """
            status options:
              --bootstrap-servers HOSTS  the Kafka cluster (required; the demo prints its own)
              --schema-registry URL      Confluent-API registry, to list model versions [versions not shown]
              --model NAME               model name [slots]
              --application-id ID        streams application id [groot-streams-<model>]
              --trainer-group ID         the trainer's consumer group [groot-trainer-<model>]
              --topic-prefix P           prefix of every topic name [groot.]
              --kafka KEY=VALUE          extra Kafka client setting, repeatable
              --json                     print JSON instead of the table
            """;

    private static final String BENCH_QUALITY_USAGE = """
            bench-quality options:
              --data DIR                 labelled data, as for demo (required)
              --reward NAME              objective and reported reward [f0.5]
              --encoder NAME             the frozen pretrained encoder whose word vectors join the BiLSTM input
                                         beside words, shape and characters: none, minilm-layers (all-MiniLM-L6-v2,
                                         the mean of its six layers), minilm (its last layer), minilm-q-layers
                                         and minilm-q (the same on its int8 twin), or bge-small [minilm-q-layers]
              --k N                      candidates per sentence [4]
              --training-candidates N    candidates per training sentence in GROOT rounds [k]
              --nll-epochs N             maximum-likelihood epochs of the baseline, best on valid kept [12]
              --rounds N                 GROOT rounds; the NLL ablation gets as many extra epochs; 0: the
                                         baseline alone [3]
              --tau X --alpha X --lambda X   GROOT loss settings [0.1, 0, 0.5]; a comma-separated list tries
                                         every combination, and each GROOT variant keeps the one its valid
                                         split scores best (e.g. --lambda 0.5,1,2)
              --max-corrections N        corrected sequences per candidate [4]
              --add-reference BOOL       correction adds the reference to sets whose candidates miss it; false
                                         leaves it to the NLL anchor (an experiment, docs/QUALITY.md); true,false
                                         trains full GROOT with each and keeps the one valid scores best [true]
              --nll-lr X --groot-lr X    Adam learning rates: maximum likelihood (also its continued
                                         ablation), GROOT rounds [0.002, 0.0005]
              --max-train N              train on the first N sentences only [all]
              --feedback-share X         hold this share of the training sentences back from the baseline;
                                         the rounds get them as feedback on unseen text [0: all for both]
              --select span-f1|reward    what the valid split chooses epochs, rounds and settings by: corpus
                                         span F1 at rank 1, or the mean reward at rank 1 [span-f1]
              --weight-average X         decay of the moving average of the weights every model is judged, saved
                                         and generates with; 0: the raw weights after the last step [0]
              --calibrate-outside BOOL   give every reported model the outside-label bias of beam search that its
                                         valid split scores best, before the test split [true]
              --interpolation X          after each round, keep this share of the move from the baseline
                                         (weights X * trained + (1 - X) * baseline; the next round goes on
                                         from there): every variant alike; a comma-separated list trains
                                         with each and keeps the one valid scores best [1: the trained weights]
              --harmonize-mentions BOOL  tag each '@' that the training split labels O before a name with
                                         the name's B- label, the convention of most of BTC and of its
                                         valid and test splits; valid and test are read as published
                                         (docs/QUALITY.md) [false]
              --seed N                   random seed [42]
              --seeds N                  repeat with seeds seed..seed+N-1; report mean and std per metric [1]
              --out FILE                 where the JSON goes [bench-quality.json]
            """;

    /** Each command's options, in the order the full usage lists them. */
    static final Map<String, String> USAGE_BY_COMMAND = usageByCommand();

    private static Map<String, String> usageByCommand() {
        Map<String, String> usage = new LinkedHashMap<>();
        usage.put("demo", DEMO_USAGE);
        usage.put("streams", StreamsCommand.USAGE);
        usage.put("replay", ReplayCommand.USAGE);
        usage.putAll(ServiceCommands.USAGE_BY_COMMAND);
        usage.put("report", REPORT_USAGE);
        usage.put("bench", BENCH_USAGE);
        usage.put("status", STATUS_USAGE);
        usage.put("bench-quality", BENCH_QUALITY_USAGE);
        return java.util.Collections.unmodifiableMap(usage);
    }

    private static final String USAGE = OVERVIEW + "\n" + String.join("\n", USAGE_BY_COMMAND.values());

    private Groot() {
    }

    public static void main(String[] args) throws Exception {
        String help = helpFor(args);
        if (help != null) {
            System.out.print(help);
            return;
        }
        try {
            switch (args[0]) {
                case "demo" -> demo(new Arguments(args, 1));
                case "bench-quality" -> benchQuality(new Arguments(args, 1));
                case "status" -> status(new Arguments(args, 1));
                case "report" -> report(new Arguments(args, 1));
                case "bench" -> bench(new Arguments(args, 1));
                case "streams" -> StreamsCommand.run(new Arguments(args, 1));
                case "topics" -> ServiceCommands.topics(new Arguments(args, 1));
                case "dev-cluster" -> ServiceCommands.devCluster(new Arguments(args, 1));
                case "init-model" -> ServiceCommands.initModel(new Arguments(args, 1));
                case "trainer" -> ServiceCommands.trainer(new Arguments(args, 1));
                case "rollback" -> ServiceCommands.rollback(new Arguments(args, 1));
                case "replay" -> ReplayCommand.run(args.length > 1 ? args[1] : "", new Arguments(args, 2));
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("groot: " + e.getMessage());
            System.err.println("run 'groot help' for usage");
            System.exit(2);
        }
        System.exit(0);
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }

    /**
     * The usage asked for, or null: all of it for no arguments, {@code help}, {@code --help} or {@code -h}; one
     * command's for {@code groot help CMD} or {@code --help}/{@code -h} anywhere after the command (an unknown
     * command gets all of it).
     */
    static String helpFor(String[] args) {
        if (args.length == 0 || (isHelp(args[0]) && args.length == 1)) {
            return USAGE;
        }
        String command;
        if (args[0].equals("help")) {
            command = args[1];
        } else if (Arrays.stream(args, 1, args.length).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"))) {
            command = args[0];
        } else {
            return null;
        }
        String usage = USAGE_BY_COMMAND.get(command);
        return usage == null ? USAGE : "usage: groot " + command + (command.equals("replay") ? " evaluate|retrain" : "")
                + " [options]\n\n" + usage;
    }

    private static boolean parseBoolean(String option, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--" + option + " takes true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** {@code --add-reference}: true, false, or both ({@code true,false}) for full GROOT to choose on valid. */
    private static List<Boolean> addReferences(String value, List<Boolean> fallback) {
        if (value == null) {
            return fallback;
        }
        return Arrays.stream(value.split(",")).map(String::trim).map(v -> parseBoolean("add-reference", v))
                .distinct().toList();
    }

    private static void benchQuality(Arguments a) throws Exception {
        QualityBenchmarkConfig d = QualityBenchmarkConfig.defaults();
        String data = a.string("data", null);
        if (data == null) {
            throw new IllegalArgumentException("bench-quality needs --data DIR");
        }
        List<GrootObjective> objectives = TrainingOptions.objectives(a, d.objectives().get(0));
        int k = a.integer("k", d.k());
        QualityBenchmarkConfig config = new QualityBenchmarkConfig(a.string("reward", d.reward()),
                k, a.integer("nll-epochs", d.nllEpochs()), a.integer("rounds", d.rounds()),
                objectives, a.integer("max-corrections", d.maxCorrections()),
                (float) a.number("nll-lr", d.nllLearningRate()), (float) a.number("groot-lr", d.grootLearningRate()),
                d.batchSize(), a.integer("max-train", d.maxTrain()),
                a.integer("seed", d.seed()), TrainingOptions.architecture(a), a.integer("training-candidates", k),
                a.number("feedback-share", d.feedbackShare()),
                addReferences(a.string("add-reference", null), d.addReferences()),
                a.string("select", d.selection()), a.number("weight-average", d.weightAverage()),
                parseBoolean("calibrate-outside", a.string("calibrate-outside",
                        Boolean.toString(d.calibrateOutsideBias()))),
                TrainingOptions.numbers(a, "interpolation", d.interpolations().get(0)));
        Path out = Path.of(a.string("out", "bench-quality.json"));
        int seeds = a.integer("seeds", 1);
        boolean harmonizeMentions = parseBoolean("harmonize-mentions", a.string("harmonize-mentions", "false"));
        a.requireAllUsed();
        Path dir = Path.of(data);
        QualityBenchmark benchmark = new QualityBenchmark(config, System.err);
        LabelledCorpus corpus = LabelledCorpus.read(dir);
        int retagged = 0;
        if (harmonizeMentions) {
            MentionConvention.Harmonized train = MentionConvention.markersTaggedLikeTheirNames(corpus.train());
            corpus = new LabelledCorpus(train.sentences(), corpus.valid(), corpus.test());
            retagged = train.markersRetagged();
            System.err.printf(java.util.Locale.ROOT, "training split: %d mention markers tagged like their names%n",
                    retagged);
        }
        String name = dir.getFileName().toString();
        Map<String, Object> report = seeds > 1 ? benchmark.runSeeds(corpus, name, seeds) : benchmark.run(corpus, name);
        if (harmonizeMentions) {
            report.put("trainMentionMarkersRetagged", retagged);
        }
        Files.writeString(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        System.out.print(QualityTable.render(report));
        if (seeds > 1) {
            System.out.print(QualityTable.renderOverSeeds(report));
            System.out.print(QualityTable.renderComparisons(report, "comparisonsOverSeeds",
                    "differences of the models averaged over the seeds"));
        } else {
            System.out.print(QualityTable.renderComparisons(report, "comparisons", "differences"));
        }
        System.out.printf(java.util.Locale.ROOT, "wall time %.0f s; JSON written to %s%n", report.get("wallSeconds"),
                out.toAbsolutePath());
    }

    private static void status(Arguments a) throws Exception {
        String bootstrap = a.string("bootstrap-servers", null);
        if (bootstrap == null) {
            throw new IllegalArgumentException("status needs --bootstrap-servers HOSTS");
        }
        String model = a.string("model", DemoOptions.defaults().modelName());
        String applicationId = a.string("application-id", GrootStreamsApp.defaultApplicationId(model));
        String trainerGroup = a.string("trainer-group", TrainerConfig.defaults(model).groupId());
        Topics topics = Topics.withPrefix(a.string("topic-prefix", DemoOptions.defaults().topicPrefix()));
        String registryUrl = a.string("schema-registry", null);
        boolean json = a.flag("json");
        Properties client = new Properties();
        client.putAll(a.clientConfig());
        a.requireAllUsed();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        GrootSerdes serdes = registryUrl == null ? null : new GrootSerdes(new RestSchemaRegistry(registryUrl));
        if (!LoopStatus.clusterAnswers(client, Duration.ofSeconds(15))) {
            // Otherwise the first read times out with a bare TimeoutException deep in a stack trace.
            System.err.println("groot status: no answer from the Kafka cluster at " + bootstrap + " within 15 s"
                    + " (a demo's broker stops with the demo)");
            System.exit(1);
        }
        LoopStatus status = LoopStatus.read(client, applicationId, trainerGroup, topics, model, serdes,
                Duration.ofSeconds(30));
        System.out.print(json ? new ObjectMapper().writeValueAsString(status.toJson()) + "\n" : status.render());
    }

    private static void report(Arguments a) throws Exception {
        String bootstrap = a.string("bootstrap-servers", null);
        String registryUrl = a.string("schema-registry", null);
        if (bootstrap == null || registryUrl == null) {
            throw new IllegalArgumentException("report needs --bootstrap-servers and --schema-registry");
        }
        String artifacts = a.string("artifacts", null);
        String model = a.string("model", DemoOptions.defaults().modelName());
        Topics topics = Topics.withPrefix(a.string("topic-prefix", DemoOptions.defaults().topicPrefix()));
        int k = a.integer("k", 4);
        RewardFunction reward = RewardFunction.parse(a.string("reward", "f0.5"));
        int recent = a.integer("recent", 500);
        Path out = Path.of(a.string("out", "groot-report.html"));
        Properties client = new Properties();
        client.putAll(a.clientConfig());
        a.requireAllUsed();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, Object> data = LoopReport.collect(client, topics, new GrootSerdes(new RestSchemaRegistry(
                registryUrl)), model, artifacts == null ? null : new LocalArtifactStore(Path.of(artifacts)), k,
                reward, recent);
        Files.writeString(out, LoopReport.html(data));
        System.out.println("report written to " + out.toAbsolutePath());
    }

    private static void bench(Arguments a) throws Exception {
        String data = a.string("data", null);
        int texts = a.integer("texts", 2000);
        int repeats = a.integer("repeats", 3);
        int warmup = a.integer("warmup", 2);
        int joinRecords = a.integer("join-records", 40_000);
        int joinPartitions = a.integer("join-partitions", 1);
        java.util.Set<String> stages = java.util.Set.of(a.string("stages", "inference,join,training").split(","));
        Path out = Path.of(a.string("out", "bench.json"));
        LabelerConfig architecture = TrainingOptions.architecture(a);
        if (stages.contains("loop")) {
            benchLoop(a, data, architecture, out, stages);
            return;
        }
        a.requireAllUsed();
        LabelledCorpus corpus = data == null ? SampleCorpus.generate(Math.max(2400, texts), 300, 7)
                : LabelledCorpus.read(Path.of(data));
        Path work = Files.createTempDirectory("groot-bench-");
        try {
            List<ThroughputBenchmark.Ratio> ratios = new ThroughputBenchmark(work, texts, joinRecords,
                    joinPartitions, warmup, repeats, a.clientConfig(), architecture, System.err)
                    .run(corpus, stages);
            Map<String, Object> json = new LinkedHashMap<>(ThroughputBenchmark.toJson(ratios));
            json.put("warmupRuns", warmup);
            json.put("joinPartitions", joinPartitions);
            json.put("encoder", architecture.contextEncoder());
            json.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                    + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
            Files.writeString(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            System.out.printf(java.util.Locale.ROOT, "%-20s %-20s %12s %12s %8s %8s%n", "stage", "unit", "system",
                    "baseline", "ratio", "unpaired");
            for (ThroughputBenchmark.Ratio r : ratios) {
                System.out.printf(java.util.Locale.ROOT, "%-20s %-20s %12.1f %12.1f %8.3f %8.3f%n", r.stage(),
                        r.unit(), r.systemMedian(), r.baselineMedian(), r.ratio(), r.ratioOfMedians());
            }
            System.out.println("medians of " + repeats + " runs after " + warmup + " warm-up runs; ratio: median of"
                    + " each run's system/baseline, unpaired: ratio of the medians; JSON written to "
                    + out.toAbsolutePath());
        } finally {
            Directories.deleteRecursively(work);
        }
    }

    private static void benchLoop(Arguments a, String data, LabelerConfig architecture, Path out,
                                  java.util.Set<String> stages) throws Exception {
        List<Integer> rates = java.util.Arrays.stream(a.string("rates", "20,40,60,80,100,130,160,200,250,300")
                .split(",")).map(String::trim).map(Integer::parseInt).toList();
        Duration step = Duration.ofSeconds(a.integer("step-seconds", 60));
        Duration warmup = Duration.ofSeconds(a.integer("warmup-seconds", 45));
        int instances = a.integer("instances", 1);
        int partitions = a.integer("partitions", 2);
        Duration rewardDelay = Duration.ofMillis(a.longNumber("reward-delay-ms", 2000));
        int seedSentences = a.integer("seed-sentences", 1000);
        int initialEpochs = a.integer("initial-epochs", 4);
        List<String> trainerBudget = new ArrayList<>();
        for (String option : List.of("max-sets-per-version", "cpu-share")) {
            String value = a.string(option, null);
            if (value != null) {
                trainerBudget.addAll(List.of("--" + option, value));
            }
        }
        a.requireAllUsed();
        if (data == null) {
            throw new IllegalArgumentException("the loop stage needs --data DIR (init-model trains on it)");
        }
        if (stages.size() > 1) {
            throw new IllegalArgumentException("the loop stage runs alone: --stages loop");
        }
        if (instances < 1 || partitions < instances) {
            throw new IllegalArgumentException("--instances must be at least 1 and at most --partitions");
        }
        Path work = Files.createTempDirectory("groot-bench-loop-");
        try {
            Map<String, Object> json = new LinkedHashMap<>(new LoopBenchmark(
                    new LoopBenchmark.Options(work, LabelledCorpus.read(Path.of(data)),
                            Path.of(data), architecture.contextEncoder(), instances, partitions, rates, step, warmup,
                            rewardDelay, seedSentences, initialEpochs, trainerBudget), System.err).run());
            json.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                    + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
            String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
            Files.writeString(out, text);
            Path html = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".html");
            Files.writeString(html, LoopReport.benchLoopHtml(json));
            System.out.println(text);
            System.err.println("loop bench: JSON in " + out.toAbsolutePath() + ", charts in " + html.toAbsolutePath());
            Directories.deleteRecursively(work);
        } catch (Exception e) {
            System.err.println("loop bench failed; its processes' logs are kept in " + work.resolve("logs"));
            throw e;
        }
    }

    /** Kept with the rest of the run's state when --work-dir is given, so a later run can read old records. */
    private static InMemorySchemaRegistry embeddedRegistry(DemoOptions options) {
        return options.workDir() == null ? new InMemorySchemaRegistry()
                : InMemorySchemaRegistry.persistentAt(options.workDir().resolve("schemas.jsonl"));
    }

    private static void demo(Arguments a) throws Exception {
        DemoOptions d = DemoOptions.defaults();
        String data = a.string("data", null);
        String work = a.string("work-dir", null);
        String report = a.string("report", null);
        DemoOptions options = new DemoOptions(data == null ? null : Path.of(data),
                a.string("bootstrap-servers", null), Map.copyOf(a.clientConfig()),
                work == null ? null : Path.of(work), a.string("topic-prefix", d.topicPrefix()),
                a.string("model", d.modelName()), a.integer("max-seconds", d.maxSeconds()),
                a.number("rate", d.textsPerSecond()), a.integer("seed-sentences", d.seedSentences()),
                a.integer("initial-epochs", d.initialEpochs()), a.integer("max-texts", d.maxTexts()),
                a.integer("examples-per-version", d.examplesPerVersion()),
                a.integer("min-versions", d.minVersions()), a.integer("partitions", d.partitions()),
                a.integer("k", d.beamWidth()), a.string("reward", d.reward()),
                TrainingOptions.objective(a, d.objective()),
                Duration.ofMillis(a.integer("max-feedback-delay-ms", (int) d.maxFeedbackDelay().toMillis())),
                a.number("duplicate-rate", d.duplicateRate()), a.integer("seed", (int) d.seed()),
                TrainingOptions.architecture(a));
        a.requireAllUsed();
        // A signal stops the run in order (Streams closed before the broker); the hook holds the JVM until then.
        try (Shutdown shutdown = Shutdown.hook("groot-demo-shutdown", Duration.ofSeconds(90))) {
            Map<String, Object> result = new ContinuousLearningDemo(options, embeddedRegistry(options), System.err,
                    report == null ? null : Path.of(report)).stopOn(shutdown.stopping()).run();
            System.out.println(new ObjectMapper().writeValueAsString(result));
        }
    }
}
