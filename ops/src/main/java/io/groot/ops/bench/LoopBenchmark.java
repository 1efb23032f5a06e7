package io.groot.ops.bench;

import io.groot.ops.broker.TopicSetup;
import io.groot.ops.status.LoopStatus;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.GrootStreamsApp;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.StreamingTrainer;
import io.groot.trainer.service.VersionTraining;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code groot bench --stages loop}: the whole loop as an operator runs it, each component a process of its own
 * (the broker and registry of {@code groot dev-cluster}, {@code init-model}, one or more {@code groot streams}
 * instances, {@code groot trainer}), fed from this process at a rising offered rate of texts, each text's reward
 * following it after a delay. Each step reports what the loop kept up with: text-to-candidates latency, the streams
 * application's consumer lag at the end, the reward-to-version freshness of the versions published in the step, and
 * CPU seconds per 1,000 texts by stage, from the processes' thread times and the join's correction-CPU metric. The
 * highest rate whose lag stays bounded (under {@link #LAG_BOUND} of input) and whose freshness p99 is at most 30 s
 * is the sustained rate; the steps stop at the first whose lag is not bounded. Freshness can fail at low rates too:
 * the trainer waits for a version's worth of sets (or its max wait), which takes longer when fewer come.
 */
public final class LoopBenchmark {
    /** Consumer lag at the end of a step must be under this much of the offered input for the step to count. */
    static final Duration LAG_BOUND = Duration.ofSeconds(5);
    static final double FRESHNESS_P99_LIMIT_SECONDS = 30;
    private static final String MODEL = "bench";
    private static final Pattern CLUSTER = Pattern.compile("--bootstrap-servers (\\S+) --schema-registry (\\S+)");

    /**
     * @param rates         offered texts per second, step by step, rising; the first also warms up for {@code warmup}
     * @param instances     {@code groot streams} processes sharing the partitions
     * @param rewardDelay   each text's reward is sent this long after the text
     * @param encoder       the labeler's pretrained encoder (init-model's --encoder)
     * @param trainerBudget the trainer's budget options ({@code --max-sets-per-version}, {@code --cpu-share}), as
     *                      given to {@code groot trainer}; empty for its defaults
     */
    public record Options(Path work, LabelledCorpus corpus, Path dataDir, String encoder, int instances,
                          int partitions, List<Integer> rates, Duration step, Duration warmup, Duration rewardDelay,
                          int seedSentences, int initialEpochs, List<String> trainerBudget) {
    }

    private final Options options;
    private final PrintStream progress;
    private static final String PREFIX = "loop.";
    private final Topics topics = Topics.withPrefix(PREFIX);

    public LoopBenchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public Map<String, Object> run() throws Exception {
        Path logs = options.work().resolve("logs");
        List<ChildJvm> children = new ArrayList<>();
        try (ChildJvm cluster = ChildJvm.start("dev-cluster", "1g", List.of("dev-cluster", "--work-dir",
                options.work().resolve("cluster").toString()), logs)) {
            Matcher addresses = cluster.awaitLine(CLUSTER, Duration.ofMinutes(2));
            String bootstrap = addresses.group(1);
            String registryUrl = addresses.group(2);
            progress.println("loop bench: cluster at " + bootstrap + ", registry " + registryUrl + "; logs in " + logs);
            Properties client = new Properties();
            client.put("bootstrap.servers", bootstrap);
            TopicSetup.ensureTopics(client, topics, options.partitions(), (short) 1);
            GrootSerdes serdes = new GrootSerdes(new RestSchemaRegistry(registryUrl));
            serdes.registerValueSchemas(topics);
            List<String> common = List.of("--bootstrap-servers", bootstrap, "--schema-registry", registryUrl,
                    "--artifacts", options.work().resolve("artifacts").toString(), "--model", MODEL,
                    "--topic-prefix", PREFIX);

            long initStart = System.nanoTime();
            try (ChildJvm init = ChildJvm.start("init-model", "2g", concat(common, "init-model", "--data",
                    options.dataDir().toString(), "--sentences", Integer.toString(options.seedSentences()),
                    "--epochs", Integer.toString(options.initialEpochs()), "--encoder", options.encoder()), logs)) {
                init.awaitSuccess(Duration.ofMinutes(20));
            }
            progress.printf(Locale.ROOT, "loop bench: initial version trained (%s encoder) in %.0f s%n",
                    options.encoder(), (System.nanoTime() - initStart) / 1e9);

            List<Integer> metricsPorts = new ArrayList<>();
            for (int i = 0; i < options.instances(); i++) {
                int port = freePort();
                metricsPorts.add(port);
                // client.id names the stream threads "s<i>-StreamThread-<n>", which their CPU is grouped by.
                children.add(ChildJvm.start("streams-" + i, "1500m", concat(common, "streams", "--state-dir",
                        options.work().resolve("streams-" + i).toString(), "--metrics-port", Integer.toString(port),
                        "--kafka", "client.id=s" + i), logs));
            }
            ChildJvm trainer = ChildJvm.start("trainer", "1500m", concat(common, "trainer",
                    options.trainerBudget().toArray(String[]::new)), logs);
            children.add(trainer);
            for (ChildJvm child : children) {
                child.awaitLine(Pattern.compile("running; stop with SIGTERM"), Duration.ofMinutes(3));
            }
            progress.println("loop bench: " + options.instances() + " streams instance(s) and the trainer running, "
                    + options.partitions() + " partitions");
            return load(client, serdes, cluster, children, metricsPorts);
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    private Map<String, Object> load(Properties client, GrootSerdes serdes, ChildJvm cluster, List<ChildJvm> children,
                                     List<Integer> metricsPorts) throws Exception {
        List<LabelledSentence> texts = options.corpus().train().subList(
                Math.min(options.seedSentences(), options.corpus().train().size() / 2), options.corpus().train().size());
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread candidates = new Thread(() -> readCandidates(client, sentAt, latencies, stop), "bench-candidates");
        candidates.start();
        List<Map<String, Object>> steps = new ArrayList<>();
        Integer sustained = null;
        Map<String, Object> atSustained = null;
        Properties producerConfig = new Properties();
        producerConfig.putAll(client);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            int next = 0;
            for (int s = -1; s < options.rates().size(); s++) {
                boolean warmup = s < 0;
                int rate = options.rates().get(Math.max(0, s));
                Duration length = warmup ? options.warmup() : options.step();
                String stepName = warmup ? "warmup" : "step" + s;
                Map<String, Map<String, Double>> cpuBefore = cpu(cluster, children);
                double correctionBefore = correctionSeconds(metricsPorts);
                long began = System.currentTimeMillis();
                int sent = offer(producer, serdes, texts, next, rate, length, stepName, sentAt);
                next += sent;
                long ended = System.currentTimeMillis();
                Map<String, Object> step = measure(client, serdes, cluster, children, metricsPorts, cpuBefore,
                        correctionBefore, stepName, rate, sent, began, ended, latencies);
                step.put("warmup", warmup);
                steps.add(step);
                progress.println("loop bench: " + step);
                if (!warmup) {
                    if (Boolean.TRUE.equals(step.get("sustained"))) {
                        sustained = rate;
                        atSustained = step;
                    }
                    if (!Boolean.TRUE.equals(step.get("lagBounded"))) {
                        break; // saturated: higher rates only lengthen the run
                    }
                }
            }
        } finally {
            stop.set(true);
            candidates.join(10_000);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("encoder", options.encoder());
        out.put("streamsInstances", options.instances());
        out.put("partitions", options.partitions());
        out.put("stepSeconds", options.step().toSeconds());
        out.put("rewardDelayMs", options.rewardDelay().toMillis());
        out.put("trainerBudget", String.join(" ", options.trainerBudget()));
        out.put("sustainedTextsPerSecond", sustained);
        out.put("atSustained", atSustained);
        out.put("steps", steps);
        out.put("criteria", "lag at the end of a step under " + LAG_BOUND.toSeconds() + " s of offered input (texts "
                + "and rewards), freshness p99 of the versions published in the step at most "
                + FRESHNESS_P99_LIMIT_SECONDS + " s");
        return out;
    }

    /**
     * Sends texts at {@code rate} per second for {@code length}, each one's reward {@code rewardDelay} later
     * (rewards still due at the end are sent then, so every text gets its reward). Returns the texts sent.
     */
    private int offer(KafkaProducer<String, byte[]> producer, GrootSerdes serdes, List<LabelledSentence> texts,
                      int first, int rate, Duration length, String stepName, Map<String, Long> sentAt)
            throws InterruptedException {
        long start = System.nanoTime();
        int count = (int) (rate * length.toMillis() / 1000);
        ArrayDeque<long[]> due = new ArrayDeque<>(); // {due nanos, text index}
        long delay = options.rewardDelay().toNanos();
        for (int i = 0; i < count || !due.isEmpty(); ) {
            long now = System.nanoTime();
            while (!due.isEmpty() && due.peekFirst()[0] <= now) {
                long[] reward = due.pollFirst();
                sendReward(producer, serdes, texts, (int) reward[1], stepName);
            }
            if (i < count) {
                long at = start + (long) (i * 1e9 / rate);
                if (at <= now) {
                    int index = first + i;
                    sendText(producer, serdes, texts, index, stepName, sentAt);
                    due.addLast(new long[]{now + delay, index});
                    i++;
                    continue;
                }
                sleepUntil(Math.min(at, due.isEmpty() ? at : due.peekFirst()[0]));
            } else if (!due.isEmpty()) {
                sleepUntil(due.peekFirst()[0]);
            }
        }
        producer.flush();
        return count;
    }

    private void sendText(KafkaProducer<String, byte[]> producer, GrootSerdes serdes, List<LabelledSentence> texts,
                          int index, String stepName, Map<String, Long> sentAt) {
        LabelledSentence sentence = texts.get(index % texts.size());
        String id = requestId(stepName, index);
        long now = System.currentTimeMillis();
        TextEvent text = TextEvent.newBuilder().setRequestId(id).setText(sentence.text())
                .setTokens(sentence.tokens()).setEventTime(Instant.ofEpochMilli(now)).build();
        sentAt.put(id, now);
        producer.send(new ProducerRecord<>(topics.texts(), null, now, id, serdes.texts().serialize(topics.texts(),
                text)));
    }

    private void sendReward(KafkaProducer<String, byte[]> producer, GrootSerdes serdes, List<LabelledSentence> texts,
                            int index, String stepName) {
        String id = requestId(stepName, index);
        long now = System.currentTimeMillis();
        RewardEvent reward = RewardEvent.newBuilder().setRequestId(id).setEventId("ev-" + id).setSource("bench")
                .setEventTime(Instant.ofEpochMilli(now)).setReferenceLabels(texts.get(index % texts.size()).labels())
                .build();
        producer.send(new ProducerRecord<>(topics.rewards(), null, now, id, serdes.rewards().serialize(
                topics.rewards(), reward)));
    }

    private static String requestId(String stepName, int index) {
        return stepName + "-" + index;
    }

    /** Text-to-candidates latency of every text, by step (the request id's prefix), as read-committed sees it. */
    private void readCandidates(Properties client, Map<String, Long> sentAt, Map<String, List<Long>> latencies,
                                AtomicBoolean stop) {
        try (KafkaConsumer<String, byte[]> consumer = TopicReader.committedConsumer(client, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = TopicReader.assignAll(consumer, List.of(topics.candidates()),
                    Duration.ofSeconds(30));
            consumer.seekToBeginning(partitions);
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Long sent = sentAt.remove(record.key());
                    if (sent != null) {
                        String step = record.key().substring(0, record.key().lastIndexOf('-'));
                        latencies.computeIfAbsent(step, k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(System.currentTimeMillis() - sent);
                    }
                }
            }
        }
    }

    private Map<String, Object> measure(Properties client, GrootSerdes serdes, ChildJvm cluster,
                                        List<ChildJvm> children, List<Integer> metricsPorts,
                                        Map<String, Map<String, Double>> cpuBefore, double correctionBefore,
                                        String stepName, int rate, int sent, long began, long ended,
                                        Map<String, List<Long>> latencies) throws Exception {
        Map<String, Map<String, Double>> cpuAfter = cpu(cluster, children);
        double correction = correctionSeconds(metricsPorts) - correctionBefore;
        Map<String, Long> lag = LoopStatus.consumerLag(client, GrootStreamsApp.defaultApplicationId(MODEL),
                List.of(topics.texts(), topics.rewards()), Duration.ofSeconds(30));
        List<ModelVersion> versions = ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions())
                .stream().filter(v -> v.getCreatedAt().toEpochMilli() >= began
                        && v.getCreatedAt().toEpochMilli() <= ended).toList();
        double[] p50s = versions.stream().map(v -> VersionTraining.latencySeconds(v,
                VersionTraining.FEEDBACK_TIME_P50, v.getCreatedAt())).filter(o -> o.isPresent())
                .mapToDouble(o -> o.getAsDouble()).toArray();
        double[] p99s = versions.stream().map(v -> VersionTraining.latencySeconds(v,
                VersionTraining.FEEDBACK_TIME_P01, v.getCreatedAt())).filter(o -> o.isPresent())
                .mapToDouble(o -> o.getAsDouble()).toArray();
        List<Long> stepLatencies = latencies.getOrDefault(stepName, List.of());
        long[] textLatency;
        synchronized (stepLatencies) { // a synchronized list, still filled by the candidates' reader
            textLatency = stepLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        Map<String, Object> step = new LinkedHashMap<>();
        step.put("step", stepName);
        step.put("offeredTextsPerSecond", rate);
        double seconds = (ended - began) / 1000.0;
        step.put("seconds", round(seconds));
        step.put("textsSent", sent);
        step.put("candidatesSeen", textLatency.length);
        step.put("textToCandidatesMs", Map.of("p50", percentile(textLatency, 0.5), "p99",
                percentile(textLatency, 0.99)));
        step.put("lagAtEnd", lag);
        step.put("versionsPublished", versions.size());
        // What the versions of the step trained on (and judged at the gate), and what they skipped over the budget.
        double trained = versions.stream().mapToDouble(v -> v.getMetrics().getOrDefault("train.examples", 0.0)
                + v.getMetrics().getOrDefault("gate.examples", 0.0)).sum();
        double skipped = versions.stream().mapToDouble(v -> v.getMetrics().getOrDefault(
                StreamingTrainer.BUDGET_SKIPPED, 0.0)).sum();
        step.put("setsTrained", (long) trained);
        step.put("setsSkipped", (long) skipped);
        step.put("setsTrainedShare", trained + skipped == 0 ? null : round(trained / (trained + skipped)));
        Double freshnessP99 = p99s.length == 0 ? null : Arrays.stream(p99s).max().getAsDouble();
        step.put("freshnessSeconds", p50s.length == 0 ? Map.of() : Map.of("p50", round(median(p50s)), "p99",
                round(freshnessP99)));
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        cpuAfter.forEach((process, groups) -> cpu.put(process, ThreadCpu.difference(groups,
                cpuBefore.getOrDefault(process, Map.of()))));
        step.put("cpuSecondsPer1000Texts", byStage(cpu, correction, sent));
        step.put("cpuSecondsByProcess", perProcess(cpu, sent));
        step.put("cpuCoresBusy", round(cpu.values().stream().flatMap(g -> g.values().stream())
                .mapToDouble(Double::doubleValue).sum() / seconds));
        long bound = rate * LAG_BOUND.toSeconds();
        boolean lagBounded = lag.values().stream().allMatch(l -> l <= bound);
        boolean fresh = freshnessP99 != null && freshnessP99 <= FRESHNESS_P99_LIMIT_SECONDS;
        step.put("lagBounded", lagBounded);
        step.put("fresh", fresh);
        step.put("sustained", lagBounded && fresh);
        return step;
    }

    /** CPU per 1,000 texts by stage of the loop, summed over the processes. */
    private static Map<String, Double> byStage(Map<String, Map<String, Double>> cpu, double correction, int texts) {
        Map<String, Double> stage = new LinkedHashMap<>();
        double streamThreads = sum(cpu, "streams", STREAM_THREADS);
        stage.put("inference", sum(cpu, "streams", INFERENCE));
        stage.put("join and batching", streamThreads - correction);
        stage.put("correction", correction);
        stage.put("training", sum(cpu, "trainer", TRAINING));
        stage.put("kafka clients", sum(cpu, "streams", KAFKA) + sum(cpu, "trainer", KAFKA));
        stage.put("kafka broker and registry", sum(cpu, "dev-cluster", BROKER));
        stage.put("jvm (gc, jit)", sum(cpu, null, JVM));
        stage.put("other", sum(cpu, null, OTHER) + sum(cpu, null, ThreadCpu.EXITED)
                + sum(cpu, "streams", "model watcher"));
        stage.replaceAll((k, v) -> round(v * 1000 / Math.max(1, texts)));
        return stage;
    }

    private static Map<String, Double> perProcess(Map<String, Map<String, Double>> cpu, int texts) {
        Map<String, Double> out = new LinkedHashMap<>();
        cpu.forEach((process, groups) -> out.put(process, round(groups.values().stream()
                .mapToDouble(Double::doubleValue).sum() * 1000 / Math.max(1, texts))));
        return out;
    }

    /**
     * The CPU of {@code group} in the processes whose name starts with {@code process}; when null, in every process
     * of the loop (not the load generator).
     */
    private static double sum(Map<String, Map<String, Double>> cpu, String process, String group) {
        return cpu.entrySet().stream().filter(e -> process == null ? !e.getKey().equals(LOAD_GENERATOR)
                        : e.getKey().startsWith(process))
                .mapToDouble(e -> e.getValue().getOrDefault(group, 0.0)).sum();
    }

    static final String INFERENCE = "inference";
    static final String STREAM_THREADS = "stream threads";
    static final String TRAINING = "training";
    static final String KAFKA = "kafka clients";
    static final String BROKER = "broker";
    static final String JVM = "jvm";
    static final String OTHER = "other";
    static final String LOAD_GENERATOR = "load generator (this process)";

    /** Which stage a thread of a process works for, by the name the JVM gave it (cut to 15 characters). */
    static String threadGroup(String process, String thread) {
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.startsWith("C1 CompilerThre")
                || thread.startsWith("C2 CompilerThre") || thread.startsWith("VM Thread")
                || thread.startsWith("VM Periodic") || thread.equals("Service Thread")) {
            return JVM;
        }
        if (process.equals("dev-cluster")) {
            return BROKER;
        }
        if (thread.startsWith("kafka-")) {
            return KAFKA;
        }
        if (process.startsWith("streams")) {
            if (thread.startsWith("groot-inferenc")) {
                return INFERENCE;
            }
            if (thread.contains("StreamThread")) {
                return STREAM_THREADS;
            }
            if (thread.startsWith("groot-model-wat")) {
                return "model watcher";
            }
        }
        if (process.equals("trainer") && thread.startsWith("groot-trainer")) {
            return TRAINING;
        }
        return OTHER;
    }

    private static Map<String, Map<String, Double>> cpu(ChildJvm cluster, List<ChildJvm> children) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        out.put(cluster.name(), ThreadCpu.sample(cluster.pid(), t -> threadGroup(cluster.name(), t)));
        for (ChildJvm child : children) {
            out.put(child.name(), ThreadCpu.sample(child.pid(), t -> threadGroup(child.name(), t)));
        }
        out.put(LOAD_GENERATOR, ThreadCpu.sample(ProcessHandle.current().pid(), t -> OTHER));
        return out;
    }

    private static final Pattern CORRECTION_LINE = Pattern.compile(
            "^groot_join_correction_cpu_seconds_total(?:\\{[^}]*})? ([0-9.eE+-]+)", Pattern.MULTILINE);

    /** The join's correction CPU (its Kafka Streams metric, from each instance's Prometheus endpoint), in s. */
    private static double correctionSeconds(List<Integer> ports) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        double seconds = 0;
        for (int port : ports) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = CORRECTION_LINE.matcher(body);
            while (m.find()) {
                seconds += Double.parseDouble(m.group(1));
            }
        }
        return seconds;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static List<String> concat(List<String> common, String command, String... more) {
        List<String> out = new ArrayList<>();
        out.add(command);
        out.addAll(common);
        out.addAll(List.of(more));
        return out;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
