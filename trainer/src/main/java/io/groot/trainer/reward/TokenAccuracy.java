package io.groot.trainer.reward;

import java.util.List;

/** Fraction of tokens whose label matches the reference. */
public final class TokenAccuracy implements RewardFunction {

    @Override
    public double reward(List<String> candidate, List<String> reference) {
        RewardFunction.requireSameLength(candidate, reference);
        if (reference.isEmpty()) {
            return 1.0;
        }
        int same = 0;
        for (int i = 0; i < reference.size(); i++) {
            if (candidate.get(i).equals(reference.get(i))) {
                same++;
            }
        }
        return (double) same / reference.size();
    }

    @Override
    public String name() {
        return "token-accuracy";
    }
}
