package io.groot.ops.replay;

import io.groot.trainer.bench.PairedDifference;
import io.groot.trainer.bench.RankedEvaluation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Versions side by side on one log: reward at each rank, best-of-k, mean-of-k, span F1 at rank 1; and each later
 * version's difference from the first one named, sentence by sentence, with a 95% paired-bootstrap interval.
 */
public final class ReplayTable {
    /** The bootstrap's seed: the same log and versions give the same intervals. */
    private static final long SEED = 42;

    private ReplayTable() {
    }

    /**
     * {@code "v4 - v3"} -> rank-1 reward and mean-of-k differences, for every version after the first in
     * {@code inOrder} (the order the versions were named in).
     */
    public static Map<String, Map<String, PairedDifference>> differences(Map<String, RankedEvaluation> inOrder) {
        Map<String, Map<String, PairedDifference>> out = new LinkedHashMap<>();
        Map.Entry<String, RankedEvaluation> first = inOrder.entrySet().iterator().next();
        inOrder.forEach((version, e) -> {
            if (!version.equals(first.getKey())) {
                out.put(version + " - " + first.getKey(),
                        PairedDifference.byMetric(e.bySentence(), first.getValue().bySentence(), SEED));
            }
        });
        return out;
    }

    /** @param byVersion in the order the versions were named: differences are from the first */
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
        Map<String, Map<String, PairedDifference>> differences = differences(byVersion);
        if (!differences.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%ndifference [95%% paired bootstrap over the log's sentences]%n"));
            out.append(String.format(Locale.ROOT, "%-14s%30s%30s%n", "versions", any.reward() + "@1", "mean-of-k"));
            differences.forEach((pair, byMetric) -> {
                out.append(String.format(Locale.ROOT, "%-14s", pair));
                byMetric.values().forEach(d -> out.append(String.format(Locale.ROOT, "%30s", d.formatted())));
                out.append('\n');
            });
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Map<String, RankedEvaluation> sorted,
                            java.util.function.ToDoubleFunction<RankedEvaluation> metric) {
        out.append(String.format(Locale.ROOT, "%-14s", name));
        sorted.values().forEach(e -> out.append(String.format(Locale.ROOT, "%12.4f", metric.applyAsDouble(e))));
        out.append('\n');
    }
}
