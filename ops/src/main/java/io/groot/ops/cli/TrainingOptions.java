package io.groot.ops.cli;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.context.ContextEncoders;
import io.groot.trainer.service.TrainerConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training options every command that trains shares ({@code trainer}, {@code replay retrain}, {@code demo},
 * {@code bench-quality}): one parser, so a version retrained by replay can be given the settings the streaming
 * trainer ran with.
 */
final class TrainingOptions {

    private TrainingOptions() {
    }

    /**
     * What {@code --encoder} says when not given: the six-layer mean of int8 MiniLM, chosen by docs/QUALITY.md's
     * numbers (BTC span F1 77.3 against 77.2 for fp32 and 67.3 without an encoder, SNIPS and ATIS level with fp32)
     * at about two thirds of fp32's cost per text, and reproducible (each sentence is encoded alone, so its vectors
     * do not depend on batch-mates). The library's {@code LabelerConfig.defaults()} has none: an embedding
     * application opts in.
     */
    static final String DEFAULT_ENCODER = ContextEncoders.MINILM_QUANTIZED_LAYERS;

    /**
     * The labeler's architecture for a first version: the defaults with {@code --encoder none|minilm-layers|minilm|...}, the
     * frozen pretrained encoder whose word vectors join the BiLSTM input. Later versions keep their base's.
     */
    static LabelerConfig architecture(Arguments a) {
        String encoder = a.string("encoder", DEFAULT_ENCODER);
        if (!encoder.equals(LabelerConfig.NO_CONTEXT_ENCODER) && !ContextEncoders.names().contains(encoder)) {
            throw new IllegalArgumentException("--encoder takes none or one of " + ContextEncoders.names()
                    + ", got '" + encoder + "'");
        }
        return LabelerConfig.defaults().withContextEncoder(encoder, "");
    }

    /**
     * The options given on the command line, under the keys a version record keeps its settings by, so they can be
     * laid over settings that are only known later (those a version record kept).
     */
    record Given(Map<String, String> settings) {

        TrainerConfig over(TrainerConfig config) {
            return config.withTrainingSettings(settings);
        }
    }

    /** {@code --epochs}, {@code --learning-rate}, {@code --seed}, {@code --tau}, {@code --alpha}, {@code --lambda}. */
    static Given given(Arguments a) {
        Map<String, String> settings = new LinkedHashMap<>();
        given(a, "epochs", TrainerConfig.EPOCHS, settings);
        given(a, "learning-rate", TrainerConfig.LEARNING_RATE, settings);
        given(a, "tau", TrainerConfig.TAU, settings);
        given(a, "alpha", TrainerConfig.ALPHA, settings);
        given(a, "lambda", TrainerConfig.LAMBDA, settings);
        given(a, "seed", TrainerConfig.SEED, settings);
        // Parsed now, so a bad value is refused before a command connects anywhere.
        TrainerConfig.defaults("options").withTrainingSettings(settings);
        return new Given(Map.copyOf(settings));
    }

    private static void given(Arguments a, String option, String key, Map<String, String> settings) {
        String value = a.string(option, null);
        if (value != null) {
            settings.put(key, value);
        }
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

    /** {@code --name}: one number or a comma-separated list, in the order given; {@code fallback} alone if absent. */
    static List<Double> numbers(Arguments a, String name, double fallback) {
        String value = a.string(name, null);
        return value == null ? List.of(fallback)
                : Arrays.stream(value.split(",")).map(String::trim).map(Double::valueOf).toList();
    }

    /** {@code fallback} with the options given laid over it. */
    static TrainerConfig training(Arguments a, TrainerConfig fallback) {
        return given(a).over(fallback);
    }
}
