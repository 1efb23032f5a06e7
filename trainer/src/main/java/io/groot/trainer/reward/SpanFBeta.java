package io.groot.trainer.reward;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Span-level F-beta: a predicted span counts only if its type and both bounds match. beta &lt; 1 weighs
 * precision more, beta &gt; 1 recall. No spans on either side is a perfect 1.
 */
public final class SpanFBeta implements RewardFunction {
    private final double beta;

    public SpanFBeta(double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public double reward(List<String> candidate, List<String> reference) {
        return against(reference).applyAsDouble(candidate);
    }

    @Override
    public ToDoubleFunction<List<String>> against(List<String> reference) {
        Set<Span> gold = new HashSet<>(Span.of(reference));
        return candidate -> {
            RewardFunction.requireSameLength(candidate, reference);
            return score(candidate, gold);
        };
    }

    private double score(List<String> candidate, Set<Span> gold) {
        Set<Span> predicted = new HashSet<>(Span.of(candidate));
        if (predicted.isEmpty() && gold.isEmpty()) {
            return 1.0;
        }
        long correct = predicted.stream().filter(gold::contains).count();
        if (correct == 0) {
            return 0.0;
        }
        double precision = (double) correct / predicted.size();
        double recall = (double) correct / gold.size();
        double b2 = beta * beta;
        return (1 + b2) * precision * recall / (b2 * precision + recall);
    }

    @Override
    public String name() {
        return "f" + (beta == Math.rint(beta) ? Long.toString((long) beta) : Double.toString(beta));
    }
}
