package io.groot.trainer.reward;

import java.util.List;

/** 1 if every label matches the reference, else 0. */
public final class ExactMatch implements RewardFunction {

    @Override
    public double reward(List<String> candidate, List<String> reference) {
        RewardFunction.requireSameLength(candidate, reference);
        return candidate.equals(reference) ? 1.0 : 0.0;
    }

    @Override
    public String name() {
        return "exact-match";
    }
}
