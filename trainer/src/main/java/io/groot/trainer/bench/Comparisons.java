package io.groot.trainer.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's claims as paired differences on the test sentences: GROOT against maximum likelihood, against
 * itself without correction, and against maximum likelihood continued for as long; at rank 1 and on mean-of-k.
 */
final class Comparisons {
    /** Key of a model's per-sentence metrics in the report, in test-split order. */
    static final String BY_SENTENCE = "bySentence";
    private static final List<List<String>> PAIRS = List.of(List.of("groot", "nll"),
            List.of("groot", "groot-no-correction"), List.of("groot", "nll-continued"));
    private static final List<String> METRICS = List.of("rewardAtOne", "meanOfK");

    private Comparisons() {
    }

    /** @param models each model's report, with its {@link #BY_SENTENCE} metrics */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> models, long seed) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (List<String> pair : PAIRS) {
            Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) models.get(pair.get(0)))
                    .get(BY_SENTENCE);
            Map<String, Object> b = (Map<String, Object>) ((Map<String, Object>) models.get(pair.get(1)))
                    .get(BY_SENTENCE);
            Map<String, Object> byMetric = new LinkedHashMap<>();
            for (String metric : METRICS) {
                byMetric.put(metric, PairedDifference.of(values(a.get(metric)), values(b.get(metric)), seed).toMap());
            }
            out.put(pair.get(0) + " - " + pair.get(1), byMetric);
        }
        return out;
    }

    /**
     * Each model's per-sentence metrics averaged over the runs (seeds), in the shape {@link #of} reads. Averaging
     * damps the training noise; the interval then covers the choice of test sentences only, not the spread from
     * seed to seed (the standard deviations over seeds show that).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> averageBySentence(List<Map<String, Object>> runs) {
        Map<String, Object> averaged = new LinkedHashMap<>();
        for (String model : ((Map<String, Object>) runs.get(0).get("models")).keySet()) {
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (String metric : METRICS) {
                double[] sum = null;
                for (Map<String, Object> run : runs) {
                    Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) run.get("models")).get(model);
                    double[] values = values(((Map<String, Object>) m.get(BY_SENTENCE)).get(metric));
                    if (sum == null) {
                        sum = new double[values.length];
                    }
                    for (int i = 0; i < values.length; i++) {
                        sum[i] += values[i] / runs.size();
                    }
                }
                metrics.put(metric, sum);
            }
            averaged.put(model, Map.of(BY_SENTENCE, metrics));
        }
        return averaged;
    }

    @SuppressWarnings("unchecked")
    private static double[] values(Object metric) {
        return metric instanceof double[] array ? array
                : ((List<Double>) metric).stream().mapToDouble(Double::doubleValue).toArray();
    }
}
