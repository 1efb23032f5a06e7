package io.groot.trainer.groot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.groot.trainer.model.Labeler;

import java.util.ArrayList;
import java.util.List;

/**
 * Pulls a labeler's weights back toward the weights it had when this was made: {@code w <- share * w + (1 - share)
 * * start}, a point on the line between the start and the trained model (the weight-space ensembles of WiSE-FT,
 * Wortsman et al. 2022). Why: when training goes on from a model that its validation split chose at its peak (the
 * GROOT rounds of {@code bench-quality} on the baseline's own sentences), every further pass fits the training text
 * more and held-out text less; a point between the two keeps most of what the start does well on held-out text and
 * part of what the training adds.
 */
public final class WeightInterpolation implements AutoCloseable {
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> start = new ArrayList<>();
    private final NDManager manager;

    public WeightInterpolation(Labeler labeler) {
        this.manager = labeler.model().getNDManager().newSubManager();
        for (Pair<String, Parameter> parameter : labeler.block().getParameters()) {
            NDArray weight = parameter.getValue().getArray();
            weights.add(weight);
            start.add(WeightAverage.copyOf(weight, manager));
        }
    }

    /** Keeps {@code share} of the move from the start: 1 leaves the weights as they are, 0 puts the start back. */
    public void pullBack(float share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the share of the move kept must be in [0, 1], got " + share);
        }
        for (int i = 0; i < weights.size(); i++) {
            try (NDArray view = weights.get(i).stopGradient(); NDArray kept = start.get(i).mul(1f - share)) {
                view.muli(share).addi(kept);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
