package io.groot.trainer.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mean and sample standard deviation of each model's metrics over benchmark runs with different seeds. */
final class SeedSummary {
    private static final List<String> METRICS = List.of("spanF1AtOne", "spanPrecisionAtOne",
            "spanRecallAtOne", "spanF1BestOfK", "rewardAtOne", "meanOfK", "bestOfK");

    private SeedSummary() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(List<Map<String, Object>> runs) {
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> firstModels = (Map<String, Object>) runs.get(0).get("models");
        for (String model : firstModels.keySet()) {
            Map<String, Object> stats = new LinkedHashMap<>();
            for (String metric : METRICS) {
                List<Double> values = new ArrayList<>();
                for (Map<String, Object> run : runs) {
                    Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) run.get("models")).get(model);
                    values.add(metric.equals("rewardAtOne") ? ((List<Double>) m.get("rewardAtRank")).get(0)
                            : (Double) m.get(metric));
                }
                double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum()
                        / Math.max(1, values.size() - 1);
                stats.put(metric, Map.of("mean", mean, "std", Math.sqrt(variance), "values", values));
            }
            summary.put(model, stats);
        }
        return summary;
    }
}
