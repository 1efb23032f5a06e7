package io.groot.trainer.service;

import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.reward.RewardFunction;

import java.util.List;
import java.util.Objects;

/**
 * Mean reward of what a labeler would serve, rank 1 of its beam, against the references of held-out contrast sets.
 * The beam is as wide as the one that generated their candidates (their highest rank): greedy decoding can differ
 * from a beam's best, and the gate must judge what inference serves.
 */
final class GateEvaluation {
    private GateEvaluation() {
    }

    static double rewardAtOne(Labeler labeler, List<ContrastSet> heldOut, RewardFunction reward) {
        return atOne(labeler, heldOut, GateMetric.of(reward));
    }

    /** {@code metric} of rank 1 against the held-out references; NaN without held-out sets. */
    static double atOne(Labeler labeler, List<ContrastSet> heldOut, GateMetric metric) {
        if (heldOut.isEmpty()) {
            return Double.NaN;
        }
        List<List<ScoredSequence>> predictions = labeler.topK(heldOut.stream().map(ContrastSet::getTokens).toList(),
                servingBeamWidth(heldOut));
        return metric.score(predictions.stream().map(p -> p.get(0).labels()).toList(),
                heldOut.stream().map(ContrastSet::getReferenceLabels).toList());
    }

    static int servingBeamWidth(List<ContrastSet> sets) {
        return sets.stream().flatMap(s -> s.getMembers().stream()).map(ContrastMember::getModelRank)
                .filter(Objects::nonNull).mapToInt(Integer::intValue).max().orElse(1);
    }
}
