package io.groot.trainer;

import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.model.Vocabulary;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outside bias of beam search, against every label sequence of a short sentence scored by teacher forcing. */
class OutsideBiasTest {
    private static final LabelerConfig SMALL = new LabelerConfig(16, 8, 64, 16, 8, 16, 32, 0f);
    private static final List<String> LABELS = List.of("B-city", "B-day", "I-city", "O");
    private static final List<String> SENTENCE = List.of("fly", "to", "boston");

    private static Labeler untrained() {
        return Labeler.create(SMALL, Vocabulary.build(List.of(SENTENCE), LABELS), 11);
    }

    @Test
    void beamSearchRanksByLogProbabilityLessTheBiasPerOutsideLabelAndReportsTheLogProbability() {
        List<List<String>> every = everySequence(SENTENCE.size());
        try (Labeler labeler = untrained()) {
            double[] logProbs = labeler.sequenceLogProbs(Collections.nCopies(every.size(), SENTENCE), every);
            for (float bias : new float[]{0f, 0.7f, -0.7f, 3f, -3f}) {
                int expected = 0;
                for (int i = 1; i < every.size(); i++) {
                    if (biased(logProbs[i], every.get(i), bias) > biased(logProbs[expected], every.get(expected), bias)) {
                        expected = i;
                    }
                }
                labeler.setOutsideBias(bias);
                List<ScoredSequence> beam = labeler.topK(List.of(SENTENCE), every.size()).get(0);
                assertEquals(every.get(expected), beam.get(0).labels(), "bias " + bias);
                assertEquals(logProbs[expected], beam.get(0).logProb(), 1e-4, "the score carries the bias");
                for (int r = 1; r < beam.size(); r++) {
                    assertTrue(biased(beam.get(r - 1).logProb(), beam.get(r - 1).labels(), bias) + 1e-4
                            >= biased(beam.get(r).logProb(), beam.get(r).labels(), bias), "rank " + r);
                }
                if (bias == 3f) {
                    assertFalse(beam.get(0).labels().contains(Labeler.OUTSIDE), "a large bias still tags O");
                }
                if (bias == -3f) {
                    assertEquals(List.of("O", "O", "O"), beam.get(0).labels(), "a large negative bias tags spans");
                }
            }
        }
    }

    @Test
    void theBiasTravelsWithTheArtifactAndAnArtifactWithoutOneKeepsItsBytes() throws IOException {
        try (Labeler labeler = untrained()) {
            byte[] unbiased = LabelerArtifact.toBytes(labeler);
            labeler.setOutsideBias(0.75f);
            byte[] biased = LabelerArtifact.toBytes(labeler);
            try (Labeler loaded = LabelerArtifact.fromBytes(biased)) {
                assertEquals(0.75f, loaded.outsideBias());
                assertEquals(labeler.topK(List.of(SENTENCE), 4), loaded.topK(List.of(SENTENCE), 4));
            }
            try (Labeler loaded = LabelerArtifact.fromBytes(unbiased)) {
                assertEquals(0f, loaded.outsideBias());
            }
            labeler.setOutsideBias(0f);
            assertArrayEquals(unbiased, LabelerArtifact.toBytes(labeler));
        }
    }

    private static double biased(double logProb, List<String> labels, float bias) {
        return logProb - bias * labels.stream().filter(Labeler.OUTSIDE::equals).count();
    }

    private static List<List<String>> everySequence(int length) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        for (int t = 0; t < length; t++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : out) {
                for (String label : LABELS) {
                    List<String> longer = new ArrayList<>(prefix);
                    longer.add(label);
                    next.add(longer);
                }
            }
            out = next;
        }
        return out;
    }
}
