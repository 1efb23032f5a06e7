package io.groot.trainer;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.groot.WeightInterpolation;
import io.groot.trainer.model.Labeler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pull back toward the start: the weights land on the line between the start and the trained weights. */
class WeightInterpolationTest {
    @Test
    void aPullBackKeepsThatShareOfTheMoveAndZeroPutsTheStartBack() {
        try (Labeler labeler = TinyLabeler.create();
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.05f);
             WeightInterpolation towardStart = new WeightInterpolation(labeler)) {
            List<float[]> start = TinyLabeler.weights(labeler);
            for (int i = 0; i < 3; i++) {
                training.step(TinyLabeler.SETS);
            }
            List<float[]> trained = TinyLabeler.weights(labeler);
            towardStart.pullBack(0.25f);
            List<float[]> pulled = TinyLabeler.weights(labeler);
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
            training.step(TinyLabeler.SETS);
            towardStart.pullBack(0f);
            List<float[]> restored = TinyLabeler.weights(labeler);
            for (int i = 0; i < start.size(); i++) {
                assertArrayEquals(start.get(i), restored.get(i), "parameter " + i);
            }
            assertThrows(IllegalArgumentException.class, () -> towardStart.pullBack(1.5f));
        }
    }
}
