package io.groot.trainer.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The mean difference a - b of a per-sentence metric between two models evaluated on the same sentences, with a
 * 95% paired-bootstrap interval (percentile method): sentences are resampled with replacement and the mean
 * difference recomputed. An interval that holds 0 means the test split cannot tell the two models apart.
 */
public record PairedDifference(double mean, double low, double high) {
    public static final int RESAMPLES = 2000;

    /** Deterministic for a given seed. */
    public static PairedDifference of(double[] a, double[] b, long seed) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("need the same non-zero number of sentences, got " + a.length
                    + " and " + b.length);
        }
        int n = a.length;
        double[] difference = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            difference[i] = a[i] - b[i];
            sum += difference[i];
        }
        Random random = new Random(seed);
        double[] means = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double resampled = 0;
            for (int i = 0; i < n; i++) {
                resampled += difference[random.nextInt(n)];
            }
            means[r] = resampled / n;
        }
        Arrays.sort(means);
        return new PairedDifference(sum / n, means[(int) (0.025 * RESAMPLES)],
                means[(int) Math.ceil(0.975 * RESAMPLES) - 1]);
    }

    /** a - b for every metric of a ({@link RankedEvaluation#bySentence} shape), in a's order. */
    public static Map<String, PairedDifference> byMetric(Map<String, double[]> a, Map<String, double[]> b,
                                                         long seed) {
        Map<String, PairedDifference> out = new LinkedHashMap<>();
        a.forEach((metric, values) -> out.put(metric, of(values, b.get(metric), seed)));
        return out;
    }

    /** {@code +0.0123 [-0.0010, +0.0250]} */
    public String formatted() {
        return String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]", mean, low, high);
    }

    /** The inverse of {@link #toMap}. */
    public static PairedDifference fromMap(Map<String, Double> map) {
        return new PairedDifference(map.get("mean"), map.get("low95"), map.get("high95"));
    }

    /** Each metric's difference as {@link #toMap}: how reports write them. */
    public static Map<String, Object> toMaps(Map<String, PairedDifference> byMetric) {
        Map<String, Object> out = new LinkedHashMap<>();
        byMetric.forEach((metric, difference) -> out.put(metric, difference.toMap()));
        return out;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mean", mean);
        out.put("low95", low);
        out.put("high95", high);
        return out;
    }
}
