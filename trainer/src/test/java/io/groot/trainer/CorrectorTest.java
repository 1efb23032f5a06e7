package io.groot.trainer;

import io.groot.schemas.Candidate;
import io.groot.schemas.CandidateReward;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.Origin;
import io.groot.schemas.RewardEvent;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.groot.InvalidFeedbackException;
import io.groot.trainer.reward.RewardFunction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorrectorTest {
    private static final List<String> TOKENS = List.of("fly", "to", "new", "york", "on", "monday");
    private static final List<String> REFERENCE = List.of("O", "O", "B-city", "I-city", "O", "B-day");
    private final RewardFunction f1 = RewardFunction.parse("f1");

    @Test
    void fixesErrorsCumulativelyThenOneAtATime() {
        List<String> candidate = List.of("B-city", "O", "B-city", "O", "O", "O");
        List<List<String>> corrected = new Corrector(8).correct(candidate, REFERENCE);

        // Errors: position 0; the city span (widened over its whole reference span); position 5.
        List<List<String>> cumulative = List.of(
                List.of("O", "O", "B-city", "O", "O", "O"),
                List.of("O", "O", "B-city", "I-city", "O", "O"));
        List<List<String>> singles = List.of(
                List.of("B-city", "O", "B-city", "I-city", "O", "O"),
                List.of("B-city", "O", "B-city", "O", "O", "B-day"));
        assertEquals(cumulative, corrected.subList(0, 2));
        assertEquals(singles, corrected.subList(2, 4), "the first single fix repeats the first cumulative one");
        assertEquals(4, corrected.size());
        double previous = f1.reward(candidate, REFERENCE);
        for (List<String> step : cumulative) {
            double reward = f1.reward(step, REFERENCE);
            assertTrue(reward >= previous, "cumulative fixes fill the range toward the reference");
            previous = reward;
        }
        assertTrue(corrected.stream().allMatch(c -> f1.reward(c, REFERENCE) < 1.0),
                "the reference itself is not among the corrections");
    }

    @Test
    void respectsTheCorrectionBudgetAndLeavesPerfectCandidatesAlone() {
        List<String> candidate = List.of("B-city", "O", "B-city", "O", "O", "O");
        assertEquals(1, new Corrector(1).correct(candidate, REFERENCE).size());
        assertEquals(List.of(), new Corrector(4).correct(REFERENCE, REFERENCE));
    }

    @Test
    void contrastSetHoldsModelCorrectedAndReferenceMembersWithoutDuplicates() {
        ContrastSet set = new ContrastSetBuilder(f1, new Corrector(4)).build(twoWithErrors(), referenceFeedback(),
                null);

        List<List<String>> labels = set.getMembers().stream().map(ContrastMember::getLabels).toList();
        assertEquals(labels.size(), labels.stream().distinct().count(), "no duplicate members");
        assertEquals(Origin.MODEL, set.getMembers().get(0).getOrigin());
        assertEquals(1, set.getMembers().get(0).getModelRank());
        assertTrue(set.getMembers().stream().anyMatch(m -> m.getOrigin() == Origin.CORRECTED));
        ContrastMember reference = set.getMembers().get(set.getMembers().size() - 1);
        assertEquals(Origin.REFERENCE, reference.getOrigin());
        assertEquals(1.0, reference.getReward());
        assertEquals(7L, set.getModelVersion());
        assertEquals("f1", set.getRewardFunction());
    }

    @Test
    void withoutAddingTheReferenceASetKeepsItOnlyAsTheAnchor() {
        ContrastSet set = new ContrastSetBuilder(f1, new Corrector(4), true, false).build(twoWithErrors(),
                referenceFeedback(), null);

        assertTrue(set.getMembers().stream().noneMatch(m -> m.getOrigin() == Origin.REFERENCE));
        assertTrue(set.getMembers().stream().noneMatch(m -> m.getLabels().equals(REFERENCE)));
        assertTrue(set.getMembers().stream().anyMatch(m -> m.getOrigin() == Origin.CORRECTED));
        assertEquals(REFERENCE, set.getReferenceLabels(), "the NLL anchor still has it");
    }

    @Test
    void scalarFeedbackPassesRewardsThroughWithoutCorrection() {
        CandidateSet candidates = candidates(REFERENCE, List.of("O", "O", "O", "O", "O", "O"));
        RewardEvent feedback = RewardEvent.newBuilder().setRequestId("r").setEventId("e").setSource("clicks")
                .setEventTime(Instant.EPOCH)
                .setScalarRewards(List.of(new CandidateReward(2, 0.25), new CandidateReward(1, 0.75))).build();

        ContrastSet set = new ContrastSetBuilder(f1, new Corrector(4)).build(candidates, feedback, null);

        assertEquals(List.of(0.25, 0.75), set.getMembers().stream().map(ContrastMember::getReward).toList());
        assertTrue(set.getMembers().stream().allMatch(m -> m.getOrigin() == Origin.MODEL));
        assertEquals("scalar", set.getRewardFunction());
    }

    @Test
    void feedbackThatDoesNotFitIsRefusedWithAReason() {
        CandidateSet candidates = candidates(REFERENCE);
        RewardEvent shortReference = RewardEvent.newBuilder().setRequestId("r").setEventId("e").setSource("s")
                .setEventTime(Instant.EPOCH).setReferenceLabels(List.of("O")).build();
        RewardEvent unknownRank = RewardEvent.newBuilder().setRequestId("r").setEventId("e").setSource("s")
                .setEventTime(Instant.EPOCH).setScalarRewards(List.of(new CandidateReward(9, 1.0))).build();
        ContrastSetBuilder builder = new ContrastSetBuilder(f1, new Corrector(4));

        assertEquals("label-count-mismatch", assertThrows(InvalidFeedbackException.class,
                () -> builder.build(candidates, shortReference, null)).reason());
        assertEquals("unknown-candidate", assertThrows(InvalidFeedbackException.class,
                () -> builder.build(candidates, unknownRank, null)).reason());
    }

    /** Two candidates that miss the reference: one by one region, one by several. */
    private static CandidateSet twoWithErrors() {
        return candidates(List.of("O", "O", "B-city", "I-city", "O", "O"),
                List.of("B-city", "O", "B-city", "O", "O", "O"));
    }

    private static RewardEvent referenceFeedback() {
        return RewardEvent.newBuilder().setRequestId("r").setEventId("e").setSource("test")
                .setEventTime(Instant.EPOCH).setReferenceLabels(REFERENCE).build();
    }

    @SafeVarargs
    private static CandidateSet candidates(List<String>... ranked) {
        List<Candidate> list = new java.util.ArrayList<>();
        for (int i = 0; i < ranked.length; i++) {
            list.add(new Candidate(i + 1, ranked[i], -1.0 - i));
        }
        return CandidateSet.newBuilder().setRequestId("r").setTokens(TOKENS).setModelName("m").setModelVersion(7)
                .setCandidates(list).setTextEventTime(Instant.EPOCH).setGeneratedAt(Instant.EPOCH).build();
    }
}
