package io.groot.ops.replay;

import io.groot.trainer.bench.RankedEvaluation;

import java.util.Locale;
import java.util.Map;

/** Versions side by side on one log: reward at each rank, best-of-k, mean-of-k, span F1 at rank 1. */
public final class ReplayTable {
    private ReplayTable() {
    }

    public static String render(Map<String, RankedEvaluation> byVersion) {
        StringBuilder out = new StringBuilder();
        Map<String, RankedEvaluation> sorted = new java.util.TreeMap<>(byVersion);
        out.append(String.format(Locale.ROOT, "%-14s", "metric"));
        sorted.keySet().forEach(v -> out.append(String.format(Locale.ROOT, "%12s", v)));
        out.append('\n');
        RankedEvaluation any = sorted.values().iterator().next();
        for (int r = 0; r < any.rewardAtRank().length; r++) {
            int rank = r;
            row(out, any.reward() + "@" + (r + 1), sorted, e -> e.rewardAtRank()[rank]);
        }
        row(out, "best-of-k", sorted, RankedEvaluation::bestOfK);
        row(out, "mean-of-k", sorted, RankedEvaluation::meanOfK);
        row(out, "span F1@1", sorted, RankedEvaluation::spanF1AtOne);
        out.append(String.format(Locale.ROOT, "%-14s%12d%n", "sentences", any.sentences()));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Map<String, RankedEvaluation> sorted,
                            java.util.function.ToDoubleFunction<RankedEvaluation> metric) {
        out.append(String.format(Locale.ROOT, "%-14s", name));
        sorted.values().forEach(e -> out.append(String.format(Locale.ROOT, "%12.4f", metric.applyAsDouble(e))));
        out.append('\n');
    }
}
