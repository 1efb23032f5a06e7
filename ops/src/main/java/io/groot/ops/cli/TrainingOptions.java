package io.groot.ops.cli;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.service.TrainerConfig;

/**
 * The training options every command that trains shares ({@code trainer}, {@code replay retrain}, {@code demo},
 * {@code bench-quality}): one parser, so a version retrained by replay can be given the settings the streaming
 * trainer ran with.
 */
final class TrainingOptions {
    private TrainingOptions() {
    }

    /** {@code --tau}, {@code --alpha}, {@code --lambda}, each defaulting to {@code fallback}'s. */
    static GrootObjective objective(Arguments a, GrootObjective fallback) {
        return new GrootObjective(a.number("tau", fallback.tau()), a.number("alpha", fallback.alpha()),
                a.number("lambda", fallback.lambda()));
    }

    /** {@code fallback} with {@code --epochs}, {@code --learning-rate}, {@code --seed} and the loss options. */
    static TrainerConfig training(Arguments a, TrainerConfig fallback) {
        return fallback.withTraining(a.integer("epochs", fallback.epochs()),
                (float) a.number("learning-rate", fallback.learningRate()), objective(a, fallback.objective()),
                a.longNumber("seed", fallback.seed()));
    }
}
