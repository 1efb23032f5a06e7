package io.groot.ops.cli;

import io.groot.trainer.bench.PairedDifference;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark report as a plain-text table, one row per model. */
final class QualityTable {
    private QualityTable() {
    }

    /** Span precision, recall and F1 at rank 1 and span F1 over the top-k (as conlleval counts), then the reward. */
    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> report) {
        Map<String, Object> models = (Map<String, Object>) report.get("models");
        StringBuilder out = new StringBuilder();
        boolean header = true;
        for (Map.Entry<String, Object> entry : models.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) entry.getValue();
            List<Double> ranks = (List<Double>) m.get("rewardAtRank");
            String reward = (String) m.get("reward");
            int k = ranks.size();
            if (header) {
                out.append(String.format(Locale.ROOT, "%-22s%9s%9s%10s%13s", "model", "spanP@1", "spanR@1",
                        "spanF1@1", "spanF1@best" + k));
                for (int r = 1; r <= k; r++) {
                    out.append(String.format(Locale.ROOT, "%10s", reward + "@" + r));
                }
                out.append(String.format(Locale.ROOT, "%11s%11s%n", "best-of-" + k, "mean-of-" + k));
                header = false;
            }
            out.append(String.format(Locale.ROOT, "%-22s%9.2f%9.2f%10.2f%13.2f", entry.getKey(),
                    100 * (Double) m.get("spanPrecisionAtOne"), 100 * (Double) m.get("spanRecallAtOne"),
                    100 * (Double) m.get("spanF1AtOne"), 100 * (Double) m.get("spanF1BestOfK")));
            for (double value : ranks) {
                out.append(String.format(Locale.ROOT, "%10.4f", value));
            }
            out.append(String.format(Locale.ROOT, "%11.4f%11.4f%n", (Double) m.get("bestOfK"),
                    (Double) m.get("meanOfK")));
        }
        return out.toString();
    }

    /** Mean ± standard deviation over seeds of the headline metrics. */
    @SuppressWarnings("unchecked")
    static String renderOverSeeds(Map<String, Object> report) {
        Map<String, Object> summary = (Map<String, Object>) report.get("overSeeds");
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nover %s seeds (mean ± std):%n",
                report.get("seeds")));
        out.append(String.format(Locale.ROOT, "%-22s%16s%16s%16s%16s%n", "model", "spanF1@1", "spanF1@best-k",
                "reward@1", "mean-of-k"));
        for (Map.Entry<String, Object> entry : summary.entrySet()) {
            Map<String, Map<String, Object>> stats = (Map<String, Map<String, Object>>) entry.getValue();
            out.append(String.format(Locale.ROOT, "%-22s", entry.getKey()));
            for (String metric : List.of("spanF1AtOne", "spanF1BestOfK", "rewardAtOne", "meanOfK")) {
                boolean span = metric.startsWith("span");
                double scale = span ? 100 : 1;
                out.append(String.format(Locale.ROOT, "%16s", String.format(Locale.ROOT,
                        span ? "%.2f ± %.2f" : "%.4f ± %.4f",
                        scale * (Double) stats.get(metric).get("mean"), scale * (Double) stats.get(metric).get("std"))));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The paired differences under {@code key} ({@code comparisons}, or {@code comparisonsOverSeeds}): mean and
     * 95% paired-bootstrap interval over the test sentences.
     */
    @SuppressWarnings("unchecked")
    static String renderComparisons(Map<String, Object> report, String key, String title) {
        Map<String, Object> comparisons = (Map<String, Object>) report.get(key);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n%s (mean difference [95%% paired bootstrap over test sentences]):%n", title));
        out.append(String.format(Locale.ROOT, "%-34s%30s%30s%n", "pair", "reward@1", "mean-of-k"));
        for (Map.Entry<String, Object> entry : comparisons.entrySet()) {
            Map<String, Map<String, Double>> byMetric = (Map<String, Map<String, Double>>) entry.getValue();
            out.append(String.format(Locale.ROOT, "%-34s", entry.getKey()));
            for (String metric : List.of("rewardAtOne", "meanOfK")) {
                out.append(String.format(Locale.ROOT, "%30s",
                        PairedDifference.fromMap(byMetric.get(metric)).formatted()));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
