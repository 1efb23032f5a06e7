package io.groot.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.groot.schemas.ContrastSet;
import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.groot.WeightInterpolation;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pull back toward the start: the weights land on the line between the start and the trained weights. */
class WeightInterpolationTest {
    private static final LabelerConfig SMALL = new LabelerConfig(8, 4, 16, 4, 4, 4, 8, 4, 8, 8, 0f, 0f,
            LabelerConfig.NO_CONTEXT_ENCODER, "");
    private static final List<List<String>> SENTENCES = List.of(
            List.of("Apple", "opens", "in", "London"), List.of("@", "nasa", "launches"));
    private static final List<ContrastSet> SETS = List.of(
            GrootTraining.referenceOnly("a", SENTENCES.get(0), List.of("B-ORG", "O", "O", "B-LOC")),
            GrootTraining.referenceOnly("b", SENTENCES.get(1), List.of("B-ORG", "B-ORG", "O")));

    private static List<float[]> weights(Labeler labeler) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : labeler.block().getParameters()) {
            NDArray array = p.getValue().getArray();
            out.add(array.toFloatArray());
        }
        return out;
    }

    @Test
    void aPullBackKeepsThatShareOfTheMoveAndZeroPutsTheStartBack() {
        try (Labeler labeler = Labeler.create(SMALL, Vocabulary.build(SENTENCES, List.of("B-LOC", "B-ORG", "O")), 5);
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.05f);
             WeightInterpolation towardStart = new WeightInterpolation(labeler)) {
            List<float[]> start = weights(labeler);
            for (int i = 0; i < 3; i++) {
                training.step(SETS);
            }
            List<float[]> trained = weights(labeler);
            towardStart.pullBack(0.25f);
            List<float[]> pulled = weights(labeler);
            boolean moved = false;
            for (int i = 0; i < start.size(); i++) {
                float[] expected = new float[start.get(i).length];
                for (int j = 0; j < expected.length; j++) {
                    expected[j] = 0.25f * trained.get(i)[j] + 0.75f * start.get(i)[j];
                    moved |= Math.abs(trained.get(i)[j] - start.get(i)[j]) > 1e-4;
                }
                assertArrayEquals(expected, pulled.get(i), 1e-6f, "parameter " + i);
            }
            assertTrue(moved, "three steps at this rate move the weights");

            // Training goes on from the pulled-back point; 0 then restores the start exactly.
            training.step(SETS);
            towardStart.pullBack(0f);
            List<float[]> restored = weights(labeler);
            for (int i = 0; i < start.size(); i++) {
                assertArrayEquals(start.get(i), restored.get(i), "parameter " + i);
            }
            assertThrows(IllegalArgumentException.class, () -> towardStart.pullBack(1.5f));
        }
    }
}
