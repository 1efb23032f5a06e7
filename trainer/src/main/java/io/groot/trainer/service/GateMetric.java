package io.groot.trainer.service;

import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.reward.SpanCounts;

import java.util.List;

/**
 * What the gate judges a version by on the held-out sets, rank 1 of its beam against their references: the mean of
 * a reward ({@code f0.5}, {@code token-accuracy}, ...), or {@code span-f1}, the corpus-level span F1 as conlleval
 * counts it (spans pooled over the sets, not a mean of per-sentence scores).
 */
public interface GateMetric {
    String SPAN_F1 = "span-f1";

    String name();

    double score(List<List<String>> predicted, List<List<String>> references);

    /** {@code span-f1}, or a reward as {@link RewardFunction#parse} reads it. */
    static GateMetric parse(String spec) {
        if (SPAN_F1.equals(spec.trim())) {
            return new GateMetric() {
                @Override
                public String name() {
                    return SPAN_F1;
                }

                @Override
                public double score(List<List<String>> predicted, List<List<String>> references) {
                    SpanCounts spans = new SpanCounts();
                    for (int i = 0; i < predicted.size(); i++) {
                        spans.add(predicted.get(i), references.get(i));
                    }
                    return spans.f1();
                }
            };
        }
        return of(RewardFunction.parse(spec));
    }

    static GateMetric of(RewardFunction reward) {
        return new GateMetric() {
            @Override
            public String name() {
                return reward.name();
            }

            @Override
            public double score(List<List<String>> predicted, List<List<String>> references) {
                double sum = 0;
                for (int i = 0; i < predicted.size(); i++) {
                    sum += reward.reward(predicted.get(i), references.get(i));
                }
                return sum / predicted.size();
            }
        };
    }
}
