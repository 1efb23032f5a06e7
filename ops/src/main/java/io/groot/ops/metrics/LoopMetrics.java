package io.groot.ops.metrics;

import io.groot.schemas.ModelVersion;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.CpuTimer;
import io.groot.streams.join.RewardJoinTopology;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.serving.ModelVersionWatcher;
import io.groot.trainer.service.VersionTraining;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The loop's meters for one streams instance:
 * <ul>
 *   <li>Kafka Streams, consumer and producer metrics, among them the books' rates and totals
 *       ({@code kafka_stream_groot_records_total{groot_id="rewards.joined"}} and so on, dead letters by reason);</li>
 *   <li>{@code groot_books{counter=...}}: the exactly-once counts of this instance's partitions, and
 *       {@code groot_rewards_pending}, {@code groot_candidates_awaiting} derived from them;</li>
 *   <li>the serving and latest model versions, the latest version's training loss, gate reward and staleness
 *       (versions between the one it trained from and the oldest of its sets' candidates);</li>
 *   <li>{@code groot_join_correction_cpu_seconds_total}: CPU the join spent in GROOT's correct step;</li>
 *   <li>{@code groot_freshness_seconds{quantile}}: reward-to-serving latency of the serving version (from the time
 *       its feedback was given to the swap that made it serve);</li>
 *   <li>JVM memory, GC, threads and CPU.</li>
 * </ul>
 */
public final class LoopMetrics implements AutoCloseable {
    private final KafkaStreamsMetrics streamsMetrics;

    private LoopMetrics(KafkaStreamsMetrics streamsMetrics) {
        this.streamsMetrics = streamsMetrics;
    }

    public static LoopMetrics bind(MeterRegistry registry, GrootStreamsApp app, String modelName) {
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(app.streams());
        streamsMetrics.bindTo(registry);
        bindJvm(registry);
        // Gauges hold their source weakly unless told otherwise, and nothing else holds the books: once the GC took
        // them, every books gauge read NaN.
        RecentBooks books = new RecentBooks(app.streams());
        for (String counter : new String[]{Accounting.TEXTS_RECEIVED, Accounting.TEXTS_CANDIDATES,
                Accounting.TEXTS_DEAD_LETTERED, Accounting.REWARDS_RECEIVED, Accounting.REWARDS_JOINED,
                Accounting.REWARDS_DUPLICATE, Accounting.REWARDS_DEAD_LETTERED, Accounting.CANDIDATES_RECEIVED,
                Accounting.CANDIDATES_JOINED, Accounting.CANDIDATES_EXPIRED, Accounting.CONTRAST_SETS,
                Accounting.BATCHES}) {
            Gauge.builder("groot.books", books, b -> b.get().get(counter)).strongReference(true)
                    .tag("counter", counter).description("exactly-once count of this instance's partitions")
                    .register(registry);
        }
        Gauge.builder("groot.rewards.pending", books, b -> b.get().rewardsPending()).strongReference(true)
                .description("valid first-seen feedback still waiting for its candidates").register(registry);
        Gauge.builder("groot.candidates.awaiting", books, b -> b.get().candidatesAwaiting()).strongReference(true)
                .description("candidate sets inside their window with no feedback yet").register(registry);
        KafkaStreams streams = app.streams();
        FunctionCounter.builder("groot.join.correction.cpu.seconds", streams, s -> s.metrics().entrySet().stream()
                        .filter(e -> e.getKey().group().equals(CpuTimer.GROUP)
                                && e.getKey().name().equals(RewardJoinTopology.CORRECTION_CPU_METRIC))
                        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum() / 1e9)
                .description("thread CPU time the join spent scoring and correcting candidates (GROOT's correct step)")
                .register(registry);
        ModelVersionWatcher watcher = app.watcher();
        Gauge.builder("groot.serving.version", app, a -> a.serving().version().orElse(-1))
                .tag("model", modelName).register(registry);
        FunctionCounter.builder("groot.model.versions.refused", watcher, ModelVersionWatcher::refusedVersions)
                .tag("model", modelName).description("versions not served: artifact corrupt or unloadable")
                .register(registry);
        FunctionCounter.builder("groot.model.versions.read.failures", watcher, ModelVersionWatcher::readFailures)
                .tag("model", modelName).description("reads of the versions topic that failed and were retried")
                .register(registry);
        latest(registry, watcher, modelName, "groot.model.latest.version", v -> v.getVersion());
        latest(registry, watcher, modelName, "groot.model.latest.train.loss",
                v -> v.getMetrics().getOrDefault("train.loss", Double.NaN));
        // DESIGN.md's staleness: versions between the one it trained from and the oldest of its sets' candidates.
        latest(registry, watcher, modelName, "groot.model.latest.staleness.max",
                v -> v.getMetrics().getOrDefault("staleness.max", Double.NaN));
        latest(registry, watcher, modelName, "groot.model.latest.gate.reward", v -> v.getMetrics().entrySet()
                .stream().filter(e -> e.getKey().startsWith("gate.") && !e.getKey().startsWith("gate.serving.")
                        && e.getKey().endsWith("@1")).mapToDouble(Map.Entry::getValue).findFirst().orElse(Double.NaN));
        freshness(registry, watcher, modelName, "0.5", VersionTraining.FEEDBACK_TIME_P50);
        freshness(registry, watcher, modelName, "0.99", VersionTraining.FEEDBACK_TIME_P01);
        return new LoopMetrics(streamsMetrics);
    }

    /** JVM memory, GC, threads and CPU: every groot process serves them. */
    static void bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    private static void latest(MeterRegistry registry, ModelVersionWatcher watcher, String model, String name,
                               ToDoubleFunction<ModelVersion> value) {
        Gauge.builder(name, watcher, w -> w.latestRecord().map(value::applyAsDouble).orElse(Double.NaN))
                .tag("model", model).register(registry);
    }

    /** Serving time minus a quantile of when its feedback was given; NaN until a version trained on feedback serves. */
    private static void freshness(MeterRegistry registry, ModelVersionWatcher watcher, String model,
                                  String quantile, String feedbackTimeMetric) {
        Gauge.builder("groot.freshness.seconds", watcher, w -> w.served().map(served -> VersionTraining
                        .latencySeconds(served.record(), feedbackTimeMetric, served.since()).orElse(Double.NaN))
                        .orElse(Double.NaN))
                .tag("model", model).tag("quantile", quantile)
                .description("reward-to-serving latency of the serving version").register(registry);
    }

    /** The local books, read once per scrape (all the gauges of one scrape read within a second) not per gauge. */
    private static final class RecentBooks {
        private static final long FRESH_NANOS = 1_000_000_000L;
        private final KafkaStreams streams;
        private LoopAccount books;
        private long readAt;

        RecentBooks(KafkaStreams streams) {
            this.streams = streams;
        }

        synchronized LoopAccount get() {
            long now = System.nanoTime();
            if (books == null || now - readAt > FRESH_NANOS) {
                books = new LoopAccount(localBooks(streams));
                readAt = now;
            }
            return books;
        }
    }

    /** The books of this instance's partitions (interactive query of the local accounting stores). */
    public static Map<String, Long> localBooks(KafkaStreams streams) {
        Map<String, Long> books = new HashMap<>();
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return books;
        }
        for (String store : new String[]{Accounting.TEXTS_STORE, Accounting.REWARDS_STORE}) {
            try {
                ReadOnlyKeyValueStore<String, Long> kv = streams.store(StoreQueryParameters.fromNameAndType(store,
                        QueryableStoreTypes.<String, Long>keyValueStore()));
                try (KeyValueIterator<String, Long> all = kv.all()) {
                    all.forEachRemaining(entry -> books.merge(entry.key, entry.value, Long::sum));
                }
            } catch (RuntimeException rebalancing) {
                // stores move during a rebalance: report what is readable now
            }
        }
        return books;
    }

    @Override
    public void close() {
        streamsMetrics.close();
    }
}
