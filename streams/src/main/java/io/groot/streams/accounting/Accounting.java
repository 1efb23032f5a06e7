package io.groot.streams.accounting;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exactly-once counts of what became of every record. They live in a changelogged store that is written in the
 * same transaction as the records they count, so they balance exactly, which client-side metrics cannot (a retried
 * transaction counts twice there). {@link AccountingReader} sums them over all instances from the changelogs.
 */
public final class Accounting {
    /** Store of the candidate-generation sub-topology. */
    public static final String TEXTS_STORE = "text-accounting";
    /** Store of the reward-join sub-topology (validation, join, expiry, batching). */
    public static final String REWARDS_STORE = "reward-accounting";

    public static final String TEXTS_RECEIVED = "texts.received";
    public static final String TEXTS_CANDIDATES = "texts.candidates";
    public static final String TEXTS_DEAD_LETTERED = "texts.dead-lettered";
    public static final String REWARDS_RECEIVED = "rewards.received";
    public static final String REWARDS_JOINED = "rewards.joined";
    public static final String REWARDS_DUPLICATE = "rewards.duplicate";
    public static final String REWARDS_DEAD_LETTERED = "rewards.dead-lettered";
    public static final String CANDIDATES_RECEIVED = "candidates.received";
    public static final String CANDIDATES_JOINED = "candidates.joined";
    public static final String CANDIDATES_EXPIRED = "candidates.expired";
    public static final String CANDIDATES_DEAD_LETTERED = "candidates.dead-lettered";
    public static final String CONTRAST_SETS = "contrast-sets";
    public static final String CONTRAST_SETS_BATCHED = "contrast-sets.batched";
    public static final String BATCHES = "batches";

    /** Kafka Streams metrics group {@code stream-groot-metrics}, tag {@code groot-id} = the counter's name. */
    public static final String METRICS_SCOPE = "groot";
    public static final String METRICS_OPERATION = "records";
    /** The group Kafka Streams files metrics of scope {@link #METRICS_SCOPE} under. */
    public static final String METRICS_GROUP = "stream-" + METRICS_SCOPE + "-metrics";

    private final KeyValueStore<String, Long> store;
    private final StreamsMetrics metrics;
    private final Map<String, Sensor> sensors = new HashMap<>();

    private Accounting(KeyValueStore<String, Long> store, StreamsMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Cached, so a burst of increments reaches the changelog once per commit. */
    public static StoreBuilder<KeyValueStore<String, Long>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long())
                .withCachingEnabled();
    }

    public static Accounting of(ProcessingContext context, String storeName) {
        return new Accounting(context.getStateStore(storeName), context.metrics());
    }

    public void add(String counter) {
        add(counter, 1);
    }

    /**
     * Adds to the exactly-once count, and to the instance's Kafka Streams metrics ({@code records-rate},
     * {@code records-total}), which are for dashboards: they are per instance and not exactly-once.
     */
    public void add(String counter, long amount) {
        Long count = store.get(counter);
        store.put(counter, (count == null ? 0 : count) + amount);
        Sensor sensor = sensors.computeIfAbsent(counter, name -> metrics.addRateTotalSensor(METRICS_SCOPE, name,
                METRICS_OPERATION, Sensor.RecordingLevel.INFO));
        for (long i = 0; i < amount; i++) {
            sensor.record();
        }
    }

    /**
     * The metrics (one per task) that count {@code counter} in {@code KafkaStreams.metrics()}: hold them to read
     * this instance's total cheaply with {@link #total}, for dashboards and benchmarks (per instance and not
     * exactly-once: the store is the truth).
     */
    public static List<Metric> metricsOf(Map<MetricName, ? extends Metric> metrics, String counter) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().group().equals(METRICS_GROUP)
                        && e.getKey().name().equals(METRICS_OPERATION + "-total")
                        && counter.equals(e.getKey().tags().get(METRICS_SCOPE + "-id")))
                .map(e -> (Metric) e.getValue()).toList();
    }

    public static long total(List<Metric> counterMetrics) {
        return counterMetrics.stream().mapToLong(m -> (long) ((Number) m.metricValue()).doubleValue()).sum();
    }

    /** Counts a dead letter under {@code kind.dead-lettered} and, by reason, {@code kind.dead-lettered.reason}. */
    public void deadLettered(String total, String reason) {
        add(total);
        add(total + "." + reason);
    }
}
