package io.groot.trainer.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's claims as paired differences on the test sentences: GROOT against maximum likelihood, against
 * itself without correction, and against maximum likelihood continued for as long; at rank 1 and on mean-of-k.
 */
final class Comparisons {
    /** Key of a model's per-sentence metrics ({@link RankedEvaluation#bySentence}) in the report. */
    static final String BY_SENTENCE = "bySentence";
    private static final List<List<String>> PAIRS = List.of(List.of("groot", "nll"),
            List.of("groot", "groot-no-correction"), List.of("groot", "nll-continued"));

    private Comparisons() {
    }

    /**
     * @param bySentence model -> metric -> its value on each test sentence; a pair whose models are not both there
     *                   (a run without rounds has the baseline alone) is left out
     */
    static Map<String, Object> of(Map<String, Map<String, double[]>> bySentence, long seed) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (List<String> pair : PAIRS) {
            if (!bySentence.keySet().containsAll(pair)) {
                continue;
            }
            out.put(pair.get(0) + " - " + pair.get(1), PairedDifference.toMaps(
                    PairedDifference.byMetric(bySentence.get(pair.get(0)), bySentence.get(pair.get(1)), seed)));
        }
        return out;
    }

    /** The per-sentence metrics of one run's {@code models} report (each model's {@link #BY_SENTENCE} lists). */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, double[]>> bySentence(Map<String, Object> models) {
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        models.forEach((model, report) -> {
            Map<String, List<Double>> lists = (Map<String, List<Double>>) ((Map<String, Object>) report)
                    .get(BY_SENTENCE);
            Map<String, double[]> metrics = new LinkedHashMap<>();
            lists.forEach((metric, values) -> metrics.put(metric,
                    values.stream().mapToDouble(Double::doubleValue).toArray()));
            out.put(model, metrics);
        });
        return out;
    }

    /**
     * Each model's per-sentence metrics averaged over the runs (seeds). Averaging damps the training noise; the
     * interval then covers the choice of test sentences only, not the spread from seed to seed (the standard
     * deviations over seeds show that).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, double[]>> averageBySentence(List<Map<String, Object>> runs) {
        Map<String, Map<String, double[]>> averaged = new LinkedHashMap<>();
        for (Map<String, Object> run : runs) {
            bySentence((Map<String, Object>) run.get("models")).forEach((model, metrics) ->
                    metrics.forEach((metric, values) -> {
                        double[] sum = averaged.computeIfAbsent(model, m -> new LinkedHashMap<>())
                                .computeIfAbsent(metric, m -> new double[values.length]);
                        for (int i = 0; i < values.length; i++) {
                            sum[i] += values[i] / runs.size();
                        }
                    }));
        }
        return averaged;
    }
}
