package io.groot.trainer.service;

import io.groot.schemas.ContrastSet;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.reward.RewardFunction;

import java.util.List;

/** Mean reward of a labeler's top-1 against the references of held-out contrast sets. */
final class GateEvaluation {
    private GateEvaluation() {
    }

    static double rewardAtOne(Labeler labeler, List<ContrastSet> heldOut, RewardFunction reward) {
        if (heldOut.isEmpty()) {
            return Double.NaN;
        }
        List<List<ScoredSequence>> predictions = labeler.topK(heldOut.stream().map(ContrastSet::getTokens).toList(), 1);
        double sum = 0;
        for (int i = 0; i < heldOut.size(); i++) {
            sum += reward.reward(predictions.get(i).get(0).labels(), heldOut.get(i).getReferenceLabels());
        }
        return sum / heldOut.size();
    }
}
