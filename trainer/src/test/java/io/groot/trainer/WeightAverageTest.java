package io.groot.trainer;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The moving average of the weights: what it holds after steps, and that training's own weights come back. */
class WeightAverageTest {
    @Test
    void theAverageIsTheWarmedUpMovingMeanOfTheStepsAndTheTrainedWeightsComeBack() {
        try (Labeler labeler = TinyLabeler.create();
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.05f, 0.9)) {
            List<float[]> w0 = TinyLabeler.weights(labeler);
            training.step(TinyLabeler.SETS);
            List<float[]> w1 = TinyLabeler.weights(labeler);
            training.step(TinyLabeler.SETS);
            List<float[]> w2 = TinyLabeler.weights(labeler);
            // Warmed-up decays: min(0.9, 2/11) after the first step, min(0.9, 3/12) after the second.
            double d1 = 2.0 / 11;
            double d2 = 3.0 / 12;
            List<float[]> averaged = training.averaged(() -> TinyLabeler.weights(labeler));
            boolean moved = false;
            for (int i = 0; i < w0.size(); i++) {
                float[] expected = new float[w0.get(i).length];
                for (int j = 0; j < expected.length; j++) {
                    double a1 = d1 * w0.get(i)[j] + (1 - d1) * w1.get(i)[j];
                    expected[j] = (float) (d2 * a1 + (1 - d2) * w2.get(i)[j]);
                    moved |= Math.abs(expected[j] - w2.get(i)[j]) > 1e-6;
                }
                assertArrayEquals(expected, averaged.get(i), 1e-5f, "parameter " + i);
            }
            assertTrue(moved, "two steps at this rate move the weights, so the average differs from them");
            List<float[]> after = TinyLabeler.weights(labeler);
            for (int i = 0; i < w2.size(); i++) {
                assertArrayEquals(w2.get(i), after.get(i), "training's own weights are back, bit for bit");
            }
        }
    }

    @Test
    void whatIsSavedUnderTheAverageIsTheAverageAndKeepLeavesItInPlace() throws Exception {
        try (Labeler labeler = TinyLabeler.create();
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.05f, 0.9)) {
            for (int i = 0; i < 5; i++) {
                training.step(TinyLabeler.SETS);
            }
            List<float[]> averaged = training.averaged(() -> TinyLabeler.weights(labeler));
            byte[] saved = training.averaged(() -> LabelerArtifact.toBytes(labeler));
            try (Labeler loaded = LabelerArtifact.fromBytes(saved)) {
                List<float[]> loadedWeights = TinyLabeler.weights(loaded);
                for (int i = 0; i < averaged.size(); i++) {
                    assertArrayEquals(averaged.get(i), loadedWeights.get(i));
                }
            }
            training.keepAveraged();
            List<float[]> kept = TinyLabeler.weights(labeler);
            assertEquals(averaged.size(), kept.size());
            for (int i = 0; i < averaged.size(); i++) {
                assertArrayEquals(averaged.get(i), kept.get(i));
            }
        }
    }
}
