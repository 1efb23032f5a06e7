package io.groot.ops.cli;

import io.groot.trainer.bench.PairedDifference;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark report as a plain-text table, one row per model. */
final class QualityTable {
    private QualityTable() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> report) {
        Map<String, Object> models = (Map<String, Object>) report.get("models");
        StringBuilder out = new StringBuilder();
        boolean header = true;
        for (Map.Entry<String, Object> entry : models.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) entry.getValue();
            List<Double> ranks = (List<Double>) m.get("rewardAtRank");
            String reward = (String) m.get("reward");
            if (header) {
                out.append(String.format(Locale.ROOT, "%-22s", "model"));
                for (int r = 1; r <= ranks.size(); r++) {
                    out.append(String.format(Locale.ROOT, "%10s", reward + "@" + r));
                }
                out.append(String.format(Locale.ROOT, "%11s%11s%11s%n", "best-of-" + ranks.size(),
                        "mean-of-" + ranks.size(), "spanF1@1"));
                header = false;
            }
            out.append(String.format(Locale.ROOT, "%-22s", entry.getKey()));
            for (double value : ranks) {
                out.append(String.format(Locale.ROOT, "%10.4f", value));
            }
            out.append(String.format(Locale.ROOT, "%11.4f%11.4f%11.2f%n", (Double) m.get("bestOfK"),
                    (Double) m.get("meanOfK"), 100 * (Double) m.get("spanF1AtOne")));
        }
        return out.toString();
    }

    /** Mean ± standard deviation over seeds of the headline metrics. */
    @SuppressWarnings("unchecked")
    static String renderOverSeeds(Map<String, Object> report) {
        Map<String, Object> summary = (Map<String, Object>) report.get("overSeeds");
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nover %s seeds (mean ± std):%n",
                report.get("seeds")));
        out.append(String.format(Locale.ROOT, "%-22s%18s%18s%18s%18s%n", "model", "reward@1", "mean-of-k",
                "best-of-k", "spanF1@1"));
        for (Map.Entry<String, Object> entry : summary.entrySet()) {
            Map<String, Map<String, Object>> stats = (Map<String, Map<String, Object>>) entry.getValue();
            out.append(String.format(Locale.ROOT, "%-22s", entry.getKey()));
            for (String metric : List.of("rewardAtOne", "meanOfK", "bestOfK", "spanF1AtOne")) {
                double scale = metric.equals("spanF1AtOne") ? 100 : 1;
                out.append(String.format(Locale.ROOT, "%18s", String.format(Locale.ROOT, "%.4f ± %.4f",
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
