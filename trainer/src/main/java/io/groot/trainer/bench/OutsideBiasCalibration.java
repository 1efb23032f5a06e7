package io.groot.trainer.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Chooses a labeler's outside bias ({@link io.groot.trainer.model.Labeler#setOutsideBias}) on held-out sentences,
 * as the last step of choosing a model: the bias whose decoding scores highest there, from a fixed grid. No bias
 * is the incumbent: another wins only by scoring strictly higher, so a labeler already at its best keeps 0.
 */
final class OutsideBiasCalibration {
    /** Log-probability per outside label; 0 first. Negative values tag fewer spans, positive more. */
    static final float[] BIASES = {0f, -1f, -0.5f, -0.25f, 0.25f, 0.5f, 0.75f, 1f, 1.5f, 2f, 3f};

    /** The chosen bias, its held-out score, and every bias's score in the order tried. */
    record Choice(float bias, double score, Map<Float, Double> tried) {
    }

    private OutsideBiasCalibration() {
    }

    /** {@code heldOutScore} decodes the held-out sentences with the given bias and scores them. */
    static Choice choose(ToDoubleFunction<Float> heldOutScore) {
        Map<Float, Double> tried = new LinkedHashMap<>();
        float best = BIASES[0];
        double bestScore = Double.NEGATIVE_INFINITY;
        for (float bias : BIASES) {
            double score = heldOutScore.applyAsDouble(bias);
            tried.put(bias, score);
            if (score > bestScore) {
                best = bias;
                bestScore = score;
            }
        }
        return new Choice(best, bestScore, tried);
    }
}
