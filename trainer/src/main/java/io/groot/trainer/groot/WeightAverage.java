package io.groot.trainer.groot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.groot.trainer.model.Labeler;

import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a labeler's weights over its optimizer steps (Polyak averaging), kept beside
 * training and swapped in to evaluate, save or generate with. Why: at a fixed learning rate the weights after any
 * one step are a noisy point around where training is heading (on BTC the valid span F1 of the raw weights swings
 * by up to 8 points from one epoch to the next), so whatever picks a model by a validation score picks a lucky
 * point, and any further training moves off it. The average is a smoother, usually better point.
 *
 * <p>The decay is warmed up, {@code min(decay, (1 + n) / (10 + n))} after n updates, so a fresh start is not held
 * at its initial weights. The average starts at the labeler's weights when this is made.
 */
public final class WeightAverage implements AutoCloseable {
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> averages = new ArrayList<>();
    private final NDManager manager;
    private final double decay;
    private long updates;

    public WeightAverage(Labeler labeler, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("a weight average's decay must be in (0, 1), got " + decay);
        }
        this.decay = decay;
        this.manager = labeler.model().getNDManager().newSubManager();
        for (Pair<String, Parameter> parameter : labeler.block().getParameters()) {
            NDArray weight = parameter.getValue().getArray();
            weights.add(weight);
            averages.add(copyOf(weight, manager));
        }
    }

    /** Folds the current weights into the average; called after each optimizer step. */
    public void update() {
        updates++;
        float d = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
        for (int i = 0; i < weights.size(); i++) {
            try (NDArray share = weights.get(i).mul(1f - d)) {
                averages.get(i).muli(d).addi(share);
            }
        }
    }

    /**
     * Runs {@code action} with the averaged weights in the labeler, then puts the trained weights back, so training
     * goes on from its own trajectory.
     */
    public <T, E extends Exception> T applied(Action<T, E> action) throws E {
        try (NDManager trained = manager.newSubManager()) {
            List<NDArray> saved = new ArrayList<>(weights.size());
            for (int i = 0; i < weights.size(); i++) {
                saved.add(copyOf(weights.get(i), trained));
                overwrite(weights.get(i), averages.get(i));
            }
            try {
                return action.run();
            } finally {
                for (int i = 0; i < weights.size(); i++) {
                    overwrite(weights.get(i), saved.get(i));
                }
            }
        }
    }

    /** Leaves the averaged weights in the labeler for good (training that continues starts from them). */
    public void keep() {
        for (int i = 0; i < weights.size(); i++) {
            overwrite(weights.get(i), averages.get(i));
        }
    }

    /** A copy outside autograd: detached first, so the copy records no graph whatever the thread's grad mode. */
    static NDArray copyOf(NDArray weight, NDManager owner) {
        try (NDArray detached = weight.stopGradient()) {
            NDArray copy = detached.duplicate();
            copy.attach(owner);
            return copy;
        }
    }

    /** Writes {@code values} into {@code weight}'s own storage (through a detached view: autograd is not involved). */
    private static void overwrite(NDArray weight, NDArray values) {
        try (NDArray view = weight.stopGradient()) {
            view.muli(0f).addi(values);
        }
    }

    /** What runs with the averaged weights in place. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T run() throws E;
    }

    @Override
    public void close() {
        manager.close();
    }
}
