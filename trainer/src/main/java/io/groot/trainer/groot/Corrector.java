package io.groot.trainer.groot;

import io.groot.trainer.reward.Span;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * GROOT's correction step: moves a candidate toward the reference one error at a time. An error is a maximal
 * run of wrong positions, widened to cover whole reference spans so no fix cuts a span in half. Two kinds of
 * near-misses come out: errors fixed left to right, cumulatively (their rewards fill the range between the
 * candidate and the reference), then each error fixed alone (one wrong span at a time).
 */
public final class Corrector {
    private final int maxCorrections;

    /** @param maxCorrections the most corrected sequences derived from one candidate */
    public Corrector(int maxCorrections) {
        this.maxCorrections = maxCorrections;
    }

    /** Corrected versions of {@code candidate}, without duplicates, the candidate or the reference itself. */
    public List<List<String>> correct(List<String> candidate, List<String> reference) {
        if (candidate.size() != reference.size()) {
            throw new IllegalArgumentException("candidate has " + candidate.size() + " labels, reference "
                    + reference.size());
        }
        List<int[]> errors = errorRegions(candidate, reference);
        Set<List<String>> corrected = new LinkedHashSet<>();
        // Fixing every error (cumulatively the last, alone when there is one) gives the reference: left out.
        List<String> cumulative = new ArrayList<>(candidate);
        for (int i = 0; i < errors.size() - 1; i++) {
            fix(cumulative, errors.get(i), reference);
            corrected.add(List.copyOf(cumulative));
        }
        for (int i = 0; errors.size() > 1 && i < errors.size(); i++) {
            List<String> single = new ArrayList<>(candidate);
            fix(single, errors.get(i), reference);
            corrected.add(List.copyOf(single));
        }
        return corrected.stream().limit(maxCorrections).toList();
    }

    private static void fix(List<String> labels, int[] region, List<String> reference) {
        for (int t = region[0]; t < region[1]; t++) {
            labels.set(t, reference.get(t));
        }
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
