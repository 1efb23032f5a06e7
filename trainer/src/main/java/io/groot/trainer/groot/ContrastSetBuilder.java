package io.groot.trainer.groot;

import io.groot.schemas.Candidate;
import io.groot.schemas.CandidateReward;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.Origin;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TopicOffset;
import io.groot.trainer.reward.RewardFunction;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * GROOT's correct step for one request: scores the model's candidates against the feedback, adds corrected
 * near-misses and the reference, and removes duplicates (the first origin wins: model, then corrected, then
 * reference). Scalar feedback has nothing to correct toward: the set is the rewarded candidates alone.
 */
public final class ContrastSetBuilder {
    private final RewardFunction rewardFunction;
    private final Corrector corrector;
    private final boolean correct;
    private final boolean addReference;

    public ContrastSetBuilder(RewardFunction rewardFunction, Corrector corrector) {
        this(rewardFunction, corrector, true, true);
    }

    /**
     * @param correct      false for the "no correction" ablation: the set holds only the model's candidates (the
     *                     reference still anchors training through the NLL term, see {@link GrootTraining})
     * @param addReference false to leave a reference the candidates miss out of the set, to the NLL anchor alone
     *                     (an experiment: GROOT.md adds it)
     */
    public ContrastSetBuilder(RewardFunction rewardFunction, Corrector corrector, boolean correct,
                              boolean addReference) {
        this.rewardFunction = rewardFunction;
        this.corrector = corrector;
        this.correct = correct;
        this.addReference = addReference;
    }

    /**
     * Refuses feedback that does not fit the candidates, as {@link #build} would, without scoring or correcting:
     * for a join that decides later whether the feedback trains.
     *
     * @throws InvalidFeedbackException if the feedback does not fit the candidates
     */
    public void check(CandidateSet candidates, RewardEvent feedback) {
        if (feedback.getReferenceLabels() != null) {
            requireLabelPerToken(candidates, feedback.getReferenceLabels());
        } else {
            requireRewards(feedback.getScalarRewards()).forEach(reward -> named(candidates, reward));
        }
    }

    /** @throws InvalidFeedbackException if the feedback does not fit the candidates */
    public ContrastSet build(CandidateSet candidates, RewardEvent feedback, TopicOffset rewardSource) {
        List<ContrastMember> members = feedback.getReferenceLabels() != null
                ? fromReference(candidates, feedback.getReferenceLabels())
                : fromScalars(candidates, feedback.getScalarRewards());
        return ContrastSet.newBuilder()
                .setRequestId(candidates.getRequestId())
                .setTokens(candidates.getTokens())
                .setModelVersion(candidates.getModelVersion())
                .setRewardFunction(feedback.getReferenceLabels() != null ? rewardFunction.name() : "scalar")
                .setRewardEventId(feedback.getEventId())
                .setMembers(members)
                .setReferenceLabels(feedback.getReferenceLabels())
                .setTextSource(candidates.getTextSource())
                .setRewardSource(rewardSource)
                .build();
    }

    private List<ContrastMember> fromReference(CandidateSet candidates, List<String> reference) {
        requireLabelPerToken(candidates, reference);
        List<ContrastMember> members = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        ToDoubleFunction<List<String>> reward = rewardFunction.against(reference);
        for (Candidate candidate : candidates.getCandidates()) {
            add(members, seen, candidate.getLabels(), Origin.MODEL, reward, candidate.getRank(),
                    candidate.getLogProb());
        }
        if (!correct) {
            return members;
        }
        for (Candidate candidate : candidates.getCandidates()) {
            for (List<String> corrected : corrector.correct(candidate.getLabels(), reference)) {
                add(members, seen, corrected, Origin.CORRECTED, reward, null, null);
            }
        }
        if (addReference) {
            add(members, seen, reference, Origin.REFERENCE, reward, null, null);
        }
        return members;
    }

    private static void add(List<ContrastMember> members, Set<List<String>> seen, List<String> labels,
                            Origin origin, ToDoubleFunction<List<String>> reward, Integer rank, Double logProb) {
        List<String> copy = List.copyOf(labels);
        if (seen.add(copy)) {
            members.add(new ContrastMember(copy, reward.applyAsDouble(copy), origin, rank, logProb));
        }
    }

    private static List<ContrastMember> fromScalars(CandidateSet candidates, List<CandidateReward> rewards) {
        List<ContrastMember> members = new ArrayList<>();
        for (CandidateReward reward : requireRewards(rewards)) {
            Candidate named = named(candidates, reward);
            members.add(new ContrastMember(named.getLabels(), reward.getReward(), Origin.MODEL, named.getRank(),
                    named.getLogProb()));
        }
        return members;
    }

    private static void requireLabelPerToken(CandidateSet candidates, List<String> reference) {
        if (reference.size() != candidates.getTokens().size()) {
            throw new InvalidFeedbackException("label-count-mismatch", "reference has " + reference.size()
                    + " labels for " + candidates.getTokens().size() + " tokens");
        }
    }

    private static List<CandidateReward> requireRewards(List<CandidateReward> rewards) {
        if (rewards == null || rewards.isEmpty()) {
            throw new InvalidFeedbackException("empty-feedback", "reward event has neither reference labels nor "
                    + "scalar rewards");
        }
        return rewards;
    }

    /** The candidate a scalar reward names by its rank. */
    private static Candidate named(CandidateSet candidates, CandidateReward reward) {
        return candidates.getCandidates().stream().filter(c -> c.getRank() == reward.getRank()).findFirst()
                .orElseThrow(() -> new InvalidFeedbackException("unknown-candidate", "scalar reward names rank "
                        + reward.getRank() + " but the candidate set has ranks 1.."
                        + candidates.getCandidates().size()));
    }
}
