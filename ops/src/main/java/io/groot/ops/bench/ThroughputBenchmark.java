package io.groot.ops.bench;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.join.RewardJoinTopology;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.groot.CandidateSets;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.groot.OfflineRound;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.context.ContextEncoders;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.InitialVersion;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.StreamingTrainer;
import io.groot.trainer.service.TrainerBudget;
import io.groot.trainer.service.TrainerConfig;
import io.groot.trainer.service.VersionPublisher;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code groot bench}: each stage of the loop against its own baseline, measured side by side in one process on
 * the same data, repeated, medians reported as ratios.
 * <ul>
 *   <li>inference: candidates/s through the streams application (Kafka in, Avro, beam search, Kafka out, EOS)
 *       vs the model's batched beam search on the same texts in memory;</li>
 *   <li>join: feedback joined/s through the reward join (validation, de-duplication, join, correction, batching)
 *       vs a plain Kafka Streams stream-stream join of the same records with no model, same EOS settings;</li>
 *   <li>training: contrast sets/s of the streaming trainer (Kafka in, gate, artifact, transactional publish) vs
 *       GROOT training steps on the same sets in memory.</li>
 * </ul>
 */
public final class ThroughputBenchmark {
    private static final String MODEL = "bench";
    private final Path work;
    private final int texts;
    private final int joinRecords;
    private final int joinPartitions;
    private final int warmup;
    private final int repeats;
    private final PrintStream progress;

    private final Map<String, String> settings;
    private final LabelerConfig architecture;

    /**
     * @param joinRecords    candidate sets and as many feedback events for the join stage, cycling through the
     *                       texts: the join is fast enough that a few thousand records time mostly start-up
     * @param joinPartitions partitions of the join stage's topics, and stream threads on each side (one task each)
     * @param settings       extra client and Kafka Streams settings for both sides (e.g. commit.interval.ms)
     */
    public ThroughputBenchmark(Path work, int texts, int joinRecords, int joinPartitions, int warmup, int repeats,
                               Map<String, String> settings, LabelerConfig architecture,
                               PrintStream progress) {
        this.architecture = architecture;
        if (joinPartitions < 1) {
            throw new IllegalArgumentException("join partitions must be at least 1, got " + joinPartitions);
        }
        this.work = work;
        this.settings = settings;
        this.texts = texts;
        this.joinRecords = joinRecords;
        this.joinPartitions = joinPartitions;
        this.warmup = warmup;
        this.repeats = repeats;
        this.progress = progress;
    }

    /**
     * One comparison over the repeats, in units per second. Each run measures both sides back to back, so its
     * system / baseline ratio cancels what the machine was doing then (the same baseline moves by a third from
     * run to run here): {@link #ratio} is the median of those paired ratios.
     */
    public record Ratio(String stage, String unit, double[] system, double[] baseline) {
        public double systemMedian() {
            return median(system);
        }

        public double baselineMedian() {
            return median(baseline);
        }

        public double[] ratios() {
            double[] paired = new double[system.length];
            for (int i = 0; i < paired.length; i++) {
                paired[i] = system[i] / baseline[i];
            }
            return paired;
        }

        /** The median of the runs' own ratios. */
        public double ratio() {
            return median(ratios());
        }

        /** The ratio of the two sides' medians, each taken over all runs (unpaired). */
        public double ratioOfMedians() {
            return systemMedian() / baselineMedian();
        }
    }

    public List<Ratio> run(LabelledCorpus corpus, java.util.Set<String> stages) throws Exception {
        List<LabelledSentence> sentences = corpus.train().subList(0, Math.min(texts, corpus.train().size()));
        List<List<String>> vocabularyTexts = new ArrayList<>();
        corpus.train().forEach(s -> vocabularyTexts.add(s.tokens()));
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        GrootSerdes serdes = new GrootSerdes(registry);
        LocalArtifactStore artifacts = new LocalArtifactStore(work.resolve("artifacts"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), true, 0);
             Labeler labeler = InitialVersion.train(sentences.subList(0, Math.min(300, sentences.size())),
                     vocabularyTexts, corpus.labelSet(), architecture, 2, 7)) {
            Properties client = new Properties();
            client.putAll(settings);
            client.put("bootstrap.servers", broker.bootstrapServers());
            byte[] model = LabelerArtifact.toBytes(labeler);
            List<Ratio> ratios = new ArrayList<>();
            if (stages.contains("inference")) {
                ratios.add(inference(client, serdes, artifacts, labeler, model, sentences));
            }
            if (stages.contains("join")) {
                ratios.addAll(join(client, serdes, labeler, model, sentences));
            }
            if (stages.contains("training")) {
                ratios.add(training(client, serdes, artifacts, model, sentences));
            }
            return ratios;
        }
    }

    /**
     * Steady state on both sides: each starts from the same artifact bytes, the first half of the texts warms it
     * up, and the rate is measured over the second half.
     */
    private Ratio inference(Properties client, GrootSerdes serdes, LocalArtifactStore artifacts, Labeler labeler,
                            byte[] model, List<LabelledSentence> sentences) throws Exception {
        double[] system = new double[warmup + repeats];
        double[] baseline = new double[warmup + repeats];
        int half = sentences.size() / 2;
        for (int r = 0; r < warmup + repeats; r++) {
            Topics topics = Topics.withPrefix("inf" + r + ".");
            TopicSetup.ensureTopics(client, topics, 1, (short) 1);
            publish(client, serdes, artifacts, topics, labeler);
            try (KafkaProducer<String, byte[]> producer = producer(client)) {
                long now = System.currentTimeMillis();
                for (int i = 0; i < sentences.size(); i++) {
                    TextEvent text = TextEvent.newBuilder().setRequestId("t" + i).setText(sentences.get(i).text())
                            .setTokens(sentences.get(i).tokens()).setEventTime(Instant.ofEpochMilli(now)).build();
                    producer.send(new ProducerRecord<>(topics.texts(), null, now, "t" + i,
                            serdes.texts().serialize(topics.texts(), text)));
                }
            }
            int run = r;
            double[] both = sideBySide(r, () -> {
                try (GrootStreamsApp app = new GrootStreamsApp(client, "bench-inf-" + run,
                        work.resolve("inf-state-" + run), 1, 1, topics, serdes, artifacts, loopConfig())) {
                    app.start(Duration.ofSeconds(60));
                    LongSupplier done = counter(app.streams(), Accounting.TEXTS_CANDIDATES, 1);
                    return steadyRate(done, sentences.size(), awaitRunning(app.streams()));
                }
            }, () -> {
                try (Labeler fresh = LabelerArtifact.fromBytes(model)) {
                    batchedBeamSearch(fresh, sentences.subList(0, half));
                    long began = System.nanoTime();
                    batchedBeamSearch(fresh, sentences.subList(half, sentences.size()));
                    return perSecond(sentences.size() - half, began);
                }
            });
            system[r] = both[0];
            baseline[r] = both[1];
            progress.printf("inference %s: streams %.1f/s, batched beam search %.1f/s%n", run(r),
                    system[r], baseline[r]);
        }
        return measured("inference", "candidate sets/s", system, baseline);
    }

    /** The top-4 of every sentence, in batches of the streams path's size. */
    private static List<List<ScoredSequence>> batchedBeamSearch(Labeler labeler, List<LabelledSentence> sentences) {
        List<List<ScoredSequence>> topK = new ArrayList<>(sentences.size());
        for (int from = 0; from < sentences.size(); from += LoopConfig.DEFAULT_INFERENCE_BATCH) {
            topK.addAll(labeler.topK(sentences.subList(from, Math.min(sentences.size(),
                    from + LoopConfig.DEFAULT_INFERENCE_BATCH)).stream().map(LabelledSentence::tokens).toList(), 4));
        }
        return topK;
    }

    /**
     * The join and batching stage: joins per second, and beside them what each joined record costs, CPU of the
     * side's threads (stream threads and their clients, over the same steady window) and bytes written to the side's
     * changelogs (over the whole run), each against the plain join's in the same run.
     */
    private List<Ratio> join(Properties client, GrootSerdes serdes, Labeler labeler, byte[] model,
                             List<LabelledSentence> sentences) throws Exception {
        double[] system = new double[warmup + repeats];
        double[] baseline = new double[warmup + repeats];
        double[][] cpuMicros = new double[2][warmup + repeats];
        double[][] changelogBytes = new double[2][warmup + repeats];
        List<List<ScoredSequence>> topK = batchedBeamSearch(labeler, sentences);
        for (int r = 0; r < warmup + repeats; r++) {
            Topics topics = Topics.withPrefix("join" + r + ".");
            TopicSetup.ensureTopics(client, topics, joinPartitions, (short) 1);
            produceCandidatesAndFeedback(client, serdes, topics, topK, sentences);

            int run = r;
            double[] both = sideBySide(r, () -> {
                String applicationId = "bench-join-" + run;
                Steady steady;
                try (ServingModel serving = new ServingModel()) {
                    serving.swap(1, LabelerArtifact.fromBytes(model));
                    StreamsBuilder ours = new StreamsBuilder();
                    RewardJoinTopology.build(ours, topics, serdes, serving, loopConfig());
                    try (KafkaStreams streams = new KafkaStreams(ours.build(),
                            streamsProps(client, applicationId, joinPartitions))) {
                        streams.start();
                        steady = steady(counter(streams, Accounting.REWARDS_JOINED, joinPartitions), joinRecords,
                                awaitRunning(streams), StreamsCost.threadCpuNanos(applicationId));
                    }
                }
                recordCost(0, run, steady, client, applicationId, cpuMicros, changelogBytes);
                return steady.perSecond();
            }, () -> {
                String applicationId = "bench-plain-" + run;
                AtomicLong joined = new AtomicLong();
                StreamsBuilder plain = new StreamsBuilder();
                plain.stream(topics.candidates(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                        .join(plain.stream(topics.rewards(), Consumed.with(Serdes.String(), Serdes.ByteArray())),
                                (candidates, feedback) -> concat(candidates, feedback),
                                JoinWindows.ofTimeDifferenceAndGrace(loopConfig().rewardWindow(), loopConfig().grace()),
                                StreamJoined.with(Serdes.String(), Serdes.ByteArray(), Serdes.ByteArray()))
                        .peek((k, v) -> joined.incrementAndGet())
                        .to(topics.trainingBatches(), Produced.with(Serdes.String(), Serdes.ByteArray()));
                Steady steady;
                try (KafkaStreams streams = new KafkaStreams(plain.build(),
                        streamsProps(client, applicationId, joinPartitions))) {
                    streams.start();
                    steady = steady(joined::get, joinRecords, awaitRunning(streams),
                            StreamsCost.threadCpuNanos(applicationId));
                }
                recordCost(1, run, steady, client, applicationId, cpuMicros, changelogBytes);
                return steady.perSecond();
            });
            system[r] = both[0];
            baseline[r] = both[1];
            progress.printf(Locale.ROOT, "join %s: reward join %.1f/s, %.1f CPU-us and %.0f changelog bytes per "
                    + "joined record; plain stream-stream join %.1f/s, %.1f us, %.0f bytes%n", run(r), system[r],
                    cpuMicros[0][r], changelogBytes[0][r], baseline[r], cpuMicros[1][r], changelogBytes[1][r]);
        }
        return List.of(measured("join and batching", "feedback joined/s", system, baseline),
                measured("join CPU per record", "CPU-us per join", cpuMicros[0], cpuMicros[1]),
                measured("join changelog bytes", "bytes per join", changelogBytes[0], changelogBytes[1]));
    }

    /**
     * Side {@code side}'s (0: ours, 1: plain) cost per joined record in run {@code run}; the changelog bytes are read
     * once the side has closed, so its last commit is in them, and printed store by store.
     */
    private void recordCost(int side, int run, Steady steady, Properties client, String applicationId,
                            double[][] cpuMicros, double[][] changelogBytes) throws Exception {
        cpuMicros[side][run] = steady.cpuNanosPerRecord() / 1e3;
        Map<String, Long> bytes = StreamsCost.changelogBytes(client, applicationId);
        changelogBytes[side][run] = bytes.values().stream().mapToLong(Long::longValue).sum() / (double) joinRecords;
        progress.println("join " + run(run) + ": " + applicationId + " changelog bytes by store " + bytes);
    }

    /**
     * Steady state on both sides: a first half of the contrast sets warms up (one version, one pass), the second
     * half is timed. The streaming trainer's time is from publishing the version of the first half to publishing
     * that of the second: consuming, decoding, training, the gate, the artifact and the transactional publish.
     */
    private Ratio training(Properties client, GrootSerdes serdes, LocalArtifactStore artifacts, byte[] model,
                           List<LabelledSentence> sentences) throws Exception {
        double[] system = new double[warmup + repeats];
        double[] baseline = new double[warmup + repeats];
        List<ContrastSet> sets;
        try (Labeler labeler = LabelerArtifact.fromBytes(model)) {
            sets = OfflineRound.contrastSets(labeler, 1, sentences, 4,
                    new ContrastSetBuilder(RewardFunction.parse("f0.5"), new Corrector(4)), 32);
        }
        int half = sets.size() / 2;
        double[] trainingShare = new double[warmup + repeats];
        TrainerConfig d = TrainerConfig.defaults(MODEL);
        for (int r = 0; r < warmup + repeats; r++) {
            int run = r;
            double[] both = sideBySide(r, () -> {
                Topics topics = Topics.withPrefix("train" + run + ".");
                TopicSetup.ensureTopics(client, topics, 1, (short) 1);
                try (Labeler labeler = LabelerArtifact.fromBytes(model)) {
                    publish(client, serdes, artifacts, topics, labeler);
                }
                // Versions are cut every `half` sets; nothing is held out, so both sides train on the same sets.
                TrainerConfig config = new TrainerConfig(MODEL, "bench-trainer-" + run, half, Duration.ofMinutes(5),
                        half, 1, d.batchSize(), d.learningRate(), d.objective(), Integer.MAX_VALUE,
                        d.gateTolerance(), d.rewardFunction(), d.maxStaleness(), d.seed(), TrainerBudget.UNBOUNDED);
                try (StreamingTrainer trainer = new StreamingTrainer(client, topics, serdes, artifacts, config)) {
                    // The second half is encoded beforehand and sent the moment version 2 is out, so the timed cycle
                    // (publishing version 2 to publishing version 3) holds the trainer's work, not this producer's.
                    List<ProducerRecord<String, byte[]>> secondHalf = batchRecords(serdes, topics,
                            sets.subList(half, 2 * half));
                    Thread thread = new Thread(trainer, "bench-trainer");
                    thread.start();
                    try (KafkaProducer<String, byte[]> producer = producer(client)) {
                        batchRecords(serdes, topics, sets.subList(0, half)).forEach(producer::send);
                        producer.flush();
                        // Watched in process: polling the versions topic would compete with the trainer for CPU.
                        awaitCount(trainer::publishedVersions, 1, System.nanoTime());
                        secondHalf.forEach(producer::send);
                    }
                    awaitCount(trainer::publishedVersions, 2, System.nanoTime());
                    List<ModelVersion> versions = awaitVersions(client, serdes, topics, 3);
                    double cycle = Duration.between(versions.get(1).getCreatedAt(), versions.get(2).getCreatedAt())
                            .toNanos() / 1e9;
                    Map<String, Double> spent = versions.get(2).getMetrics();
                    trainingShare[run] = spent.getOrDefault("train.seconds", Double.NaN) / cycle;
                    progress.printf("training %s: cycle %.2f s: collecting %.2f s (decoding %.2f s), training and gate "
                                    + "%.2f s, artifact %.2f s%n", run(run), cycle,
                            spent.getOrDefault("cycle.collectSeconds", Double.NaN),
                            spent.getOrDefault("cycle.decodeSeconds", Double.NaN),
                            spent.getOrDefault("train.seconds", Double.NaN),
                            spent.getOrDefault("cycle.artifactSeconds", Double.NaN));
                    trainer.close();
                    thread.join(30_000);
                    return half / cycle;
                }
            }, () -> {
                try (Labeler labeler = LabelerArtifact.fromBytes(model);
                     GrootTraining training = new GrootTraining(labeler, d.objective(), d.learningRate())) {
                    training.trainEpochs(sets.subList(0, half), 1, d.batchSize(), new Random(run));
                    long began = System.nanoTime();
                    training.trainEpochs(sets.subList(half, 2 * half), 1, d.batchSize(), new Random(run));
                    return perSecond(half, began);
                }
            });
            system[r] = both[0];
            baseline[r] = both[1];
            progress.printf("training %s: streaming trainer %.1f sets/s (training and gate %.0f%% of its cycle), "
                    + "in-memory steps %.1f sets/s%n", run(r), system[r], 100 * trainingShare[r], baseline[r]);
        }
        return measured("training", "contrast sets/s", system, baseline);
    }

    /** One side of a comparison: measures and returns its rate. */
    @FunctionalInterface
    private interface Side {
        double measure() throws Exception;
    }

    /**
     * Both sides of run {@code r}, {system, baseline}. Which goes first alternates from run to run, so that neither
     * always meets the JIT, heap and page cache the other left behind.
     */
    private static double[] sideBySide(int r, Side system, Side baseline) throws Exception {
        if (r % 2 == 0) {
            double first = fresh(system);
            return new double[]{first, fresh(baseline)};
        }
        double first = fresh(baseline);
        return new double[]{fresh(system), first};
    }

    /**
     * One side's measurement with the pretrained encoders' feature caches emptied first: every run and side sees
     * the same texts, and served text is new text, so neither may read vectors the other computed.
     */
    private static double fresh(Side side) throws Exception {
        ContextEncoders.clearCaches();
        return side.measure();
    }

    /** Which run this is, for progress lines: warm-up runs are not counted. */
    private String run(int r) {
        return r < warmup ? "warm-up " + (r + 1) + "/" + warmup : (r - warmup + 1) + "/" + repeats;
    }

    /** The comparison over the measured runs, the warm-up runs left out. */
    private Ratio measured(String stage, String unit, double[] system, double[] baseline) {
        return new Ratio(stage, unit, Arrays.copyOfRange(system, warmup, system.length),
                Arrays.copyOfRange(baseline, warmup, baseline.length));
    }

    /** The sets as training batches of 32, encoded. */
    private static List<ProducerRecord<String, byte[]>> batchRecords(GrootSerdes serdes, Topics topics,
                                                                     List<ContrastSet> sets) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int from = 0; from < sets.size(); from += 32) {
            List<ContrastSet> batch = sets.subList(from, Math.min(sets.size(), from + 32));
            String id = batch.get(0).getRequestId();
            records.add(new ProducerRecord<>(topics.trainingBatches(), id, serdes.trainingBatches()
                    .serialize(topics.trainingBatches(), new TrainingBatch(id, Instant.now(), new ArrayList<>(batch)))));
        }
        return records;
    }


    private static List<ModelVersion> awaitVersions(Properties client, GrootSerdes serdes, Topics topics, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        List<ModelVersion> versions = List.of();
        while (versions.size() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + versions.size() + " versions in 10 minutes");
            }
            Thread.sleep(50);
            versions = ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions());
        }
        return versions;
    }

    /** {@code joinRecords} requests, each with its candidates and one reference feedback event. */
    private void produceCandidatesAndFeedback(Properties client, GrootSerdes serdes, Topics topics,
                                              List<List<ScoredSequence>> topK, List<LabelledSentence> sentences) {
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = producer(client)) {
            for (int i = 0; i < joinRecords; i++) {
                LabelledSentence sentence = sentences.get(i % sentences.size());
                String id = "r" + i;
                CandidateSet set = CandidateSets.of(id, sentence.tokens(), MODEL, 1, topK.get(i % sentences.size()),
                        Instant.ofEpochMilli(now), null);
                RewardEvent feedback = RewardEvent.newBuilder().setRequestId(id).setEventId("e" + id)
                        .setSource("bench").setEventTime(Instant.ofEpochMilli(now + 1))
                        .setReferenceLabels(sentence.labels()).build();
                producer.send(new ProducerRecord<>(topics.candidates(), null, now, id,
                        serdes.candidates().serialize(topics.candidates(), set)));
                producer.send(new ProducerRecord<>(topics.rewards(), null, now + 1, id,
                        serdes.rewards().serialize(topics.rewards(), feedback)));
            }
        }
    }

    private static void publish(Properties client, GrootSerdes serdes, LocalArtifactStore artifacts, Topics topics,
                                Labeler labeler) throws Exception {
        try (VersionPublisher publisher = new VersionPublisher(client, "bench-init-" + topics.texts(), artifacts,
                topics.modelVersions(), serdes.modelVersions())) {
            InitialVersion.publish(publisher, MODEL, labeler, 0);
        }
    }

    private static LoopConfig loopConfig() {
        return new LoopConfig(MODEL, 4, 128, Duration.ofMinutes(10), Duration.ofMinutes(1), "f0.5", 4, 32,
                Duration.ofMillis(500));
    }

    /** State under the benchmark's work directory, which the caller deletes: a join run writes up to 100 MB. */
    private Properties streamsProps(Properties client, String applicationId, int threads) {
        return GrootStreamsApp.streamsProperties(client, applicationId, work.resolve(applicationId), 1, threads);
    }

    private static KafkaProducer<String, byte[]> producer(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("linger.ms", "5");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static long awaitRunning(KafkaStreams streams) throws InterruptedException {
        while (streams.state() != KafkaStreams.State.RUNNING) {
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    /**
     * Steady-state records per second: from the last poll before {@code count} passes half of {@code target} to
     * the first at or past {@code target}, so start-up (first fetch, JIT) and the last partial batch's wait do not
     * count on either side. Counts move in batches: the window starts at a poll, not at the half, so it always
     * holds the records it counts (a batch can carry the count from below the half past the target). The first
     * observation is {@code began} (running, nothing counted yet): a small run can be past the half, or done, by the
     * first read, and a window that started there would hold nothing.
     */
    static double steadyRate(LongSupplier count, long target, long began) throws InterruptedException {
        return steady(count, target, began, () -> 0).perSecond();
    }

    /** A steady-state window's records per second, and the CPU nanoseconds per record spent in it. */
    record Steady(double perSecond, double cpuNanosPerRecord) {
    }

    /** {@link #steadyRate}, with {@code cpuNanos} (a side's thread CPU so far) read at the same polls. */
    static Steady steady(LongSupplier count, long target, long began, LongSupplier cpuNanos)
            throws InterruptedException {
        long deadline = began + Duration.ofMinutes(10).toNanos();
        long lastCount = 0;
        long lastTime = began;
        long lastCpu = cpuNanos.getAsLong();
        long fromCount = -1;
        long fromTime = 0;
        long fromCpu = 0;
        while (true) {
            Thread.sleep(5);
            long now = System.nanoTime();
            long counted = count.getAsLong();
            long cpu = cpuNanos.getAsLong();
            if (fromCount < 0 && counted >= target / 2) {
                fromCount = lastCount;
                fromTime = lastTime;
                fromCpu = lastCpu;
            }
            if (counted >= target) {
                long records = counted - fromCount;
                return new Steady(records / ((now - fromTime) / 1e9), (cpu - fromCpu) / (double) records);
            }
            if (now - deadline > 0) {
                throw new IllegalStateException("only " + counted + " of " + target + " in 10 minutes");
            }
            lastCount = counted;
            lastTime = now;
            lastCpu = cpu;
        }
    }

    /**
     * An accounting counter of this instance, read from its Kafka Streams metric: polling the store by
     * interactive query would contend with the stream thread for the store's cache. Each stream thread has its own
     * metric, made when the thread first counts; they are looked up until all {@code threads} exist (at most every
     * 10 ms until then, which is before the measured window): {@code KafkaStreams.metrics()} copies every client
     * metric, and doing that at each poll took a good part of a core from the instance being measured.
     */
    private static LongSupplier counter(KafkaStreams streams, String counter, int threads) {
        List<Metric> found = new ArrayList<>();
        long[] lookedUpAt = {System.nanoTime() - 1_000_000_000L};
        return () -> {
            if (found.size() < threads && System.nanoTime() - lookedUpAt[0] > 10_000_000L) {
                lookedUpAt[0] = System.nanoTime();
                found.clear();
                found.addAll(Accounting.metricsOf(streams.metrics(), counter));
            }
            return Accounting.total(found);
        };
    }

    /** Waits until {@code count} reaches {@code target}, for at most 10 minutes from {@code began}. */
    private static void awaitCount(LongSupplier count, long target, long began) throws InterruptedException {
        long deadline = began + Duration.ofMinutes(10).toNanos();
        while (count.getAsLong() < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + count.getAsLong() + " of " + target + " in 10 minutes");
            }
            Thread.sleep(5);
        }
    }


    private static double perSecond(long n, long beganNanos) {
        return n / ((System.nanoTime() - beganNanos) / 1e9);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    public static Map<String, Object> toJson(List<Ratio> ratios) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Ratio r : ratios) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("unit", r.unit());
            row.put("system", Arrays.stream(r.system()).boxed().toList());
            row.put("baseline", Arrays.stream(r.baseline()).boxed().toList());
            row.put("systemMedian", r.systemMedian());
            row.put("baselineMedian", r.baselineMedian());
            row.put("ratios", Arrays.stream(r.ratios()).boxed().toList());
            row.put("ratio", r.ratio());
            row.put("ratioOfMedians", r.ratioOfMedians());
            out.put(r.stage(), row);
        }
        return out;
    }
}
