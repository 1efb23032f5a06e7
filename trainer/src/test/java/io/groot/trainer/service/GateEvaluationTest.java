package io.groot.trainer.service;

import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.Origin;
import io.groot.trainer.bench.RankedEvaluation;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.model.Vocabulary;
import io.groot.trainer.reward.RewardFunction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class GateEvaluationTest {
    private static final List<String> LABELS = List.of("B-city", "B-day", "I-city", "O");
    private static final int SERVED_WIDTH = 4;

    @Test
    void judgesRankOneOfTheBeamThatServedTheCandidates() {
        Random random = new Random(11);
        List<LabelledSentence> sentences = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<String> tokens = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int t = 0; t < 3 + random.nextInt(5); t++) {
                tokens.add("w" + random.nextInt(12));
                labels.add(LABELS.get(random.nextInt(LABELS.size())));
            }
            sentences.add(new LabelledSentence(tokens, labels, ""));
        }
        RewardFunction reward = RewardFunction.parse("token-accuracy");
        // Untrained, the model's label distributions are flat: greedy decoding and a beam of 4 often disagree.
        try (Labeler labeler = Labeler.create(new LabelerConfig(16, 8, 64, 16, 8, 16, 32, 0f),
                Vocabulary.build(sentences.stream().map(LabelledSentence::tokens).toList(), LABELS), 7)) {
            List<ContrastSet> heldOut = new ArrayList<>();
            List<List<ScoredSequence>> served = labeler.topK(
                    sentences.stream().map(LabelledSentence::tokens).toList(), SERVED_WIDTH);
            for (int i = 0; i < sentences.size(); i++) {
                List<ContrastMember> members = new ArrayList<>();
                for (ScoredSequence candidate : served.get(i)) {
                    members.add(new ContrastMember(candidate.labels(), 0.5, Origin.MODEL, candidate.rank(),
                            candidate.logProb()));
                }
                heldOut.add(ContrastSet.newBuilder().setRequestId("r" + i).setTokens(sentences.get(i).tokens())
                        .setModelVersion(1).setRewardFunction(reward.name()).setRewardEventId("e" + i)
                        .setReferenceLabels(sentences.get(i).labels()).setMembers(members).build());
            }

            assertEquals(SERVED_WIDTH, GateEvaluation.servingBeamWidth(heldOut));
            double beamBest = RankedEvaluation.of(labeler, sentences, SERVED_WIDTH, reward, 64).rewardAtRank()[0];
            double greedy = RankedEvaluation.of(labeler, sentences, 1, reward, 64).rewardAtRank()[0];
            assertNotEquals(greedy, beamBest, 1e-9, "the case must tell a greedy gate from a beam one");
            assertEquals(beamBest, GateEvaluation.rewardAtOne(labeler, heldOut, reward), 1e-12);
        }
    }

    @Test
    void spanF1PoolsSpansOverTheHeldOutSetsAsConllevalDoes() {
        // Two sentences: one with a single span predicted right, one with three gold spans all missed. Pooled:
        // 1 correct of 1 predicted and 4 gold, F1 0.4; the mean of per-sentence F1 would be 0.5.
        List<List<String>> predicted = List.of(List.of("B-city", "O"), List.of("O", "O", "O"));
        List<List<String>> gold = List.of(List.of("B-city", "O"), List.of("B-day", "B-city", "B-day"));
        GateMetric spanF1 = GateMetric.parse("span-f1");
        assertEquals("span-f1", spanF1.name());
        assertEquals(0.4, spanF1.score(predicted, gold), 1e-12);
        assertEquals(0.5, GateMetric.parse("f1").score(predicted, gold), 1e-12);
    }
}
