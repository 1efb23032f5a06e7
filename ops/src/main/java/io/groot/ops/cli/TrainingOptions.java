package io.groot.ops.cli;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.service.TrainerConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training options every command that trains shares ({@code trainer}, {@code replay retrain}, {@code demo},
 * {@code bench-quality}): one parser, so a version retrained by replay can be given the settings the streaming
 * trainer ran with.
 */
final class TrainingOptions {

    private TrainingOptions() {
    }

    /**
     * The options given on the command line, each null where not given, so they can be laid over settings that are
     * only known later (those a version record kept).
     */
    record Given(Integer epochs, Float learningRate, Double tau, Double alpha, Double lambda, Long seed) {

        TrainerConfig over(TrainerConfig config) {
            GrootObjective loss = config.objective();
            return config.withTraining(epochs != null ? epochs : config.epochs(),
                    learningRate != null ? learningRate : config.learningRate(),
                    new GrootObjective(tau != null ? tau : loss.tau(), alpha != null ? alpha : loss.alpha(),
                            lambda != null ? lambda : loss.lambda()),
                    seed != null ? seed : config.seed());
        }
    }

    /** {@code --epochs}, {@code --learning-rate}, {@code --seed}, {@code --tau}, {@code --alpha}, {@code --lambda}. */
    static Given given(Arguments a) {
        String epochs = a.string("epochs", null);
        String rate = a.string("learning-rate", null);
        String tau = a.string("tau", null);
        String alpha = a.string("alpha", null);
        String lambda = a.string("lambda", null);
        String seed = a.string("seed", null);
        return new Given(epochs == null ? null : Integer.valueOf(epochs), rate == null ? null : Float.valueOf(rate),
                tau == null ? null : Double.valueOf(tau), alpha == null ? null : Double.valueOf(alpha),
                lambda == null ? null : Double.valueOf(lambda), seed == null ? null : Long.valueOf(seed));
    }

    /** {@code --tau}, {@code --alpha}, {@code --lambda}, each defaulting to {@code fallback}'s. */
    static GrootObjective objective(Arguments a, GrootObjective fallback) {
        List<GrootObjective> objectives = objectives(a, fallback);
        if (objectives.size() > 1) {
            throw new IllegalArgumentException("--tau, --alpha and --lambda take one value here (lists are for "
                    + "bench-quality)");
        }
        return objectives.get(0);
    }

    /**
     * {@code --tau}, {@code --alpha}, {@code --lambda}, each one value or a comma-separated list: every combination,
     * in the order given (tau slowest).
     */
    static List<GrootObjective> objectives(Arguments a, GrootObjective fallback) {
        List<Double> taus = numbers(a, "tau", fallback.tau());
        List<Double> alphas = numbers(a, "alpha", fallback.alpha());
        List<Double> lambdas = numbers(a, "lambda", fallback.lambda());
        List<GrootObjective> objectives = new ArrayList<>();
        for (double tau : taus) {
            for (double alpha : alphas) {
                for (double lambda : lambdas) {
                    objectives.add(new GrootObjective(tau, alpha, lambda));
                }
            }
        }
        return objectives;
    }

    private static List<Double> numbers(Arguments a, String name, double fallback) {
        String value = a.string(name, null);
        return value == null ? List.of(fallback)
                : Arrays.stream(value.split(",")).map(String::trim).map(Double::valueOf).toList();
    }

    /** {@code fallback} with the options given laid over it. */
    static TrainerConfig training(Arguments a, TrainerConfig fallback) {
        return given(a).over(fallback);
    }
}
