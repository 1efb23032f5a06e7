package io.groot.trainer.groot;

import io.groot.trainer.reward.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * GROOT's correction step: moves a candidate toward the reference one error at a time. An error is a maximal
 * run of wrong positions, widened to cover whole reference spans so no fix cuts a span in half. Fixing the
 * errors left to right, cumulatively, yields near-misses whose rewards fill the range between the candidate
 * and the reference.
 */
public final class Corrector {
    private final int maxCorrections;

    /** @param maxCorrections the most corrected sequences derived from one candidate */
    public Corrector(int maxCorrections) {
        this.maxCorrections = maxCorrections;
    }

    /** Corrected versions of {@code candidate}, least corrected first; never the candidate or the reference itself. */
    public List<List<String>> correct(List<String> candidate, List<String> reference) {
        if (candidate.size() != reference.size()) {
            throw new IllegalArgumentException("candidate has " + candidate.size() + " labels, reference "
                    + reference.size());
        }
        List<int[]> errors = errorRegions(candidate, reference);
        List<List<String>> corrected = new ArrayList<>();
        List<String> current = new ArrayList<>(candidate);
        // The last cumulative fix would be the reference itself, which the contrast set holds anyway.
        for (int i = 0; i < errors.size() - 1 && corrected.size() < maxCorrections; i++) {
            int[] region = errors.get(i);
            for (int t = region[0]; t < region[1]; t++) {
                current.set(t, reference.get(t));
            }
            corrected.add(List.copyOf(current));
        }
        return corrected;
    }

    static List<int[]> errorRegions(List<String> candidate, List<String> reference) {
        List<Span> spans = Span.of(reference);
        List<int[]> regions = new ArrayList<>();
        int t = 0;
        while (t < candidate.size()) {
            if (candidate.get(t).equals(reference.get(t))) {
                t++;
                continue;
            }
            int start = t;
            int end = t;
            while (end < candidate.size() && !candidate.get(end).equals(reference.get(end))) {
                end++;
            }
            for (Span span : spans) {
                if (span.start() < end && start < span.end()) {
                    start = Math.min(start, span.start());
                    end = Math.max(end, span.end());
                }
            }
            if (!regions.isEmpty() && regions.get(regions.size() - 1)[1] >= start) {
                regions.get(regions.size() - 1)[1] = Math.max(end, regions.get(regions.size() - 1)[1]);
            } else {
                regions.add(new int[]{start, end});
            }
            t = end;
        }
        return regions;
    }
}
