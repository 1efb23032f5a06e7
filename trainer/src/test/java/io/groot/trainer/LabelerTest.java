package io.groot.trainer;

import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.Origin;
import io.groot.trainer.bench.RankedEvaluation;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.model.Vocabulary;
import io.groot.trainer.reward.RewardFunction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelerTest {
    private static final LabelerConfig SMALL = new LabelerConfig(16, 8, 64, 16, 8, 16, 32, 0f);
    private static final List<String> LABELS = List.of("B-city", "B-day", "I-city", "O");
    private static final List<List<String>> SENTENCES = List.of(
            List.of("fly", "to", "new", "york"),
            List.of("fly", "to", "boston", "on", "monday"),
            List.of("monday"),
            List.of("new", "york", "on", "friday"));

    private static Labeler untrained() {
        return Labeler.create(SMALL, Vocabulary.build(SENTENCES, LABELS), 7);
    }

    @Test
    void beamOfOneIsGreedyDecoding() {
        try (Labeler labeler = untrained()) {
            for (List<String> sentence : SENTENCES) {
                List<String> greedy = new ArrayList<>();
                double score = 0;
                for (int t = 0; t < sentence.size(); t++) {
                    float[] next = labeler.nextLabelLogProbs(sentence, greedy);
                    int best = 0;
                    for (int y = 1; y < next.length; y++) {
                        if (next[y] > next[best]) {
                            best = y;
                        }
                    }
                    score += next[best];
                    greedy.add(labeler.vocabulary().label(best));
                }
                ScoredSequence top = labeler.topK(List.of(sentence), 1).get(0).get(0);
                assertEquals(greedy, top.labels());
                assertEquals(score, top.logProb(), 1e-4);
            }
        }
    }

    @Test
    void theDecoderRemembersEveryLabelEmittedSoFar() {
        // Identical tokens, two equally likely labellings; the third label must repeat the first. A decoder that
        // sees only the previous label ("O" in both) cannot do better than 50/50.
        List<String> tokens = List.of("a", "a", "a");
        List<ContrastSet> data = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String type = i % 2 == 0 ? "city" : "day";
            data.add(GrootTraining.referenceOnly("s" + i, tokens, List.of("B-" + type, "O", "B-" + type)));
        }
        try (Labeler labeler = Labeler.create(SMALL, Vocabulary.build(List.of(tokens), LABELS), 5);
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.02f)) {
            training.trainEpochs(data, 40, 8, new Random(2));
            Vocabulary v = labeler.vocabulary();
            float[] afterCity = labeler.nextLabelLogProbs(tokens, List.of("B-city", "O"));
            float[] afterDay = labeler.nextLabelLogProbs(tokens, List.of("B-day", "O"));
            assertTrue(Math.exp(afterCity[v.labelId("B-city")]) > 0.9, "p(B-city | B-city O) "
                    + Math.exp(afterCity[v.labelId("B-city")]));
            assertTrue(Math.exp(afterDay[v.labelId("B-day")]) > 0.9, "p(B-day | B-day O) "
                    + Math.exp(afterDay[v.labelId("B-day")]));
        }
    }

    @Test
    void beamScoresAreTheTeacherForcedLogProbabilities() {
        try (Labeler labeler = untrained()) {
            List<List<ScoredSequence>> topK = labeler.topK(SENTENCES, 4);
            for (int i = 0; i < SENTENCES.size(); i++) {
                List<ScoredSequence> candidates = topK.get(i);
                assertEquals(4, candidates.size());
                List<String> sentence = SENTENCES.get(i);
                double[] forced = labeler.sequenceLogProbs(candidates.stream().map(c -> sentence).toList(),
                        candidates.stream().map(ScoredSequence::labels).toList());
                for (int r = 0; r < candidates.size(); r++) {
                    assertEquals(forced[r], candidates.get(r).logProb(), 1e-4, "rank " + (r + 1));
                    assertEquals(r + 1, candidates.get(r).rank());
                    if (r > 0) {
                        assertTrue(candidates.get(r).logProb() <= candidates.get(r - 1).logProb());
                    }
                }
            }
        }
    }

    @Test
    void beamReturnsDistinctSequencesAndFewerWhenThereAreFewer() {
        try (Labeler labeler = untrained()) {
            List<ScoredSequence> one = labeler.topK(List.of(List.of("monday")), 8).get(0);
            assertEquals(LABELS.size(), one.size(), "a one-token sentence has only |labels| sequences");
            assertEquals(one.size(), one.stream().map(ScoredSequence::labels).distinct().count());
        }
    }

    @Test
    void artifactRoundTripsExactlyAndIsDeterministic() throws Exception {
        try (Labeler labeler = untrained()) {
            byte[] bytes = LabelerArtifact.toBytes(labeler);
            assertArrayEquals(bytes, LabelerArtifact.toBytes(labeler), "same weights, same bytes");
            try (Labeler loaded = LabelerArtifact.fromBytes(bytes)) {
                assertEquals(labeler.topK(SENTENCES, 3), loaded.topK(SENTENCES, 3));
                assertEquals(labeler.vocabulary().labels(), loaded.vocabulary().labels());
            }
        }
    }

    @Test
    void unknownLabelsAreRefusedClearly() {
        try (Labeler labeler = untrained()) {
            Vocabulary.UnknownLabelException e = assertThrows(Vocabulary.UnknownLabelException.class,
                    () -> labeler.encodeLabels(List.of("B-planet")));
            assertTrue(e.getMessage().contains("B-planet"));
        }
    }

    @Test
    void maximumLikelihoodTrainingLearnsTheTask() {
        List<ContrastSet> data = new ArrayList<>();
        String[] cities = {"boston", "denver", "dallas", "austin"};
        String[] days = {"monday", "friday", "sunday"};
        int id = 0;
        for (String city : cities) {
            for (String day : days) {
                data.add(GrootTraining.referenceOnly("s" + id++, List.of("fly", "to", city, "on", day),
                        List.of("O", "O", "B-city", "O", "B-day")));
                data.add(GrootTraining.referenceOnly("s" + id++, List.of(day, "to", "new", "york"),
                        List.of("B-day", "O", "B-city", "I-city")));
            }
        }
        List<List<String>> corpus = data.stream().map(ContrastSet::getTokens).toList();
        try (Labeler labeler = Labeler.create(SMALL, Vocabulary.build(corpus, LABELS), 3);
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.02f)) {
            double before = exactMatches(labeler, data);
            double loss = training.trainEpochs(data, 30, 8, new Random(1));
            double after = exactMatches(labeler, data);
            assertTrue(loss < 0.5, "loss " + loss);
            assertTrue(after > before && after == data.size(), "exact matches " + before + " -> " + after);
        }
    }

    @Test
    void contrastLossMovesProbabilityTowardTheHigherReward() {
        List<String> tokens = List.of("fly", "to", "boston");
        List<String> good = List.of("O", "O", "B-city");
        List<String> bad = List.of("O", "O", "O");
        ContrastSet set = ContrastSet.newBuilder().setRequestId("r").setTokens(tokens).setModelVersion(1)
                .setRewardFunction("f1").setRewardEventId("e").setReferenceLabels(null)
                .setMembers(List.of(new ContrastMember(bad, 0.0, Origin.MODEL, 1, null),
                        new ContrastMember(good, 1.0, Origin.CORRECTED, null, null)))
                .build();
        try (Labeler labeler = untrained();
             GrootTraining training = new GrootTraining(labeler, new GrootObjective(0.5, 0.0, 0.0), 0.01f)) {
            double[] before = labeler.sequenceLogProbs(List.of(tokens, tokens), List.of(good, bad));
            for (int i = 0; i < 5; i++) {
                training.step(List.of(set));
            }
            double[] after = labeler.sequenceLogProbs(List.of(tokens, tokens), List.of(good, bad));
            assertTrue(after[0] - after[1] > before[0] - before[1],
                    "margin good-bad " + (before[0] - before[1]) + " -> " + (after[0] - after[1]));
            assertNotEquals(before[0], after[0]);
        }
    }

    @Test
    void perSentenceEvaluationDoesNotDependOnBatching() {
        List<LabelledSentence> gold = List.of(
                new LabelledSentence(SENTENCES.get(0), List.of("O", "O", "B-city", "I-city"), ""),
                new LabelledSentence(SENTENCES.get(1), List.of("O", "O", "B-city", "O", "B-day"), ""),
                new LabelledSentence(SENTENCES.get(2), List.of("B-day"), ""),
                new LabelledSentence(SENTENCES.get(3), List.of("B-city", "I-city", "O", "B-day"), ""));
        RewardFunction reward = RewardFunction.parse("token-accuracy");
        try (Labeler labeler = untrained()) {
            RankedEvaluation whole = RankedEvaluation.of(labeler, gold, 3, reward, 64);
            RankedEvaluation inPairs = RankedEvaluation.of(labeler, gold, 3, reward, 2);
            assertArrayEquals(whole.rewardAtOneBySentence(), inPairs.rewardAtOneBySentence());
            assertArrayEquals(whole.meanOfKBySentence(), inPairs.meanOfKBySentence());
            assertEquals(whole.rewardAtRank()[0], Arrays.stream(whole.rewardAtOneBySentence()).average().orElseThrow(),
                    1e-12);
            assertEquals(whole.meanOfK(), Arrays.stream(whole.meanOfKBySentence()).average().orElseThrow(), 1e-12);
            for (int i = 0; i < gold.size(); i++) {
                List<String> top = labeler.topK(List.of(gold.get(i).tokens()), 3).get(0).get(0).labels();
                assertEquals(reward.reward(top, gold.get(i).labels()), whole.rewardAtOneBySentence()[i], 1e-12,
                        "sentence " + i);
            }
        }
    }

    private static double exactMatches(Labeler labeler, List<ContrastSet> data) {
        List<List<String>> tokens = data.stream().map(ContrastSet::getTokens).toList();
        List<List<ScoredSequence>> predictions = labeler.topK(tokens, 1);
        int matches = 0;
        for (int i = 0; i < data.size(); i++) {
            if (predictions.get(i).get(0).labels().equals(data.get(i).getReferenceLabels())) {
                matches++;
            }
        }
        return matches;
    }
}
