package io.groot.trainer.service;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.ModelVersion;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.model.Labeler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains one model version from its parent's weights on a set of contrast sets, and judges it at the gate. Shared
 * by the streaming trainer and replay: the result depends only on the parent, the contrast sets (as a set: they
 * are put in a canonical order first, whatever order they arrived in), the configuration and the version number
 * (which seeds shuffling), so replaying the same feedback reproduces the version.
 */
public final class VersionTraining {
    private VersionTraining() {
    }

    public static final String FEEDBACK_TIME_P01 = "feedback.time.p01";
    public static final String FEEDBACK_TIME_P50 = "feedback.time.p50";
    public static final String FEEDBACK_TIME_P99 = "feedback.time.p99";

    /**
     * Reward-to-serving latency of a version: seconds from when its feedback was given (at the quantile that
     * {@code feedbackTimeMetric} names) to {@code servedAt}; empty for a version not trained on timed feedback.
     */
    public static OptionalDouble latencySeconds(ModelVersion version, String feedbackTimeMetric, Instant servedAt) {
        Double given = version.getMetrics().get(feedbackTimeMetric);
        return given == null ? OptionalDouble.empty()
                : OptionalDouble.of((servedAt.toEpochMilli() - given) / 1000.0);
    }

    /** What training produced: whether the gate passes, and the metrics recorded with the version. */
    public record Outcome(boolean passes, int trainExamples, double loss, double heldOutReward,
                          double parentHeldOutReward, Map<String, Double> metrics) {
    }

    /** Trains {@code labeler} in place (it starts as the parent). */
    public static Outcome train(Labeler labeler, List<ContrastSet> sets, TrainerConfig config, long version) {
        long began = System.nanoTime();
        GateMetric gateReward = GateMetric.parse(config.rewardFunction());
        List<ContrastSet> train = new ArrayList<>();
        List<ContrastSet> heldOut = new ArrayList<>();
        List<ContrastSet> canonical = new ArrayList<>(sets);
        canonical.sort(Comparator.comparing(ContrastSet::getRequestId).thenComparing(ContrastSet::getRewardEventId));
        for (ContrastSet set : canonical) {
            boolean holdOut = set.getReferenceLabels() != null
                    && Math.floorMod(set.getRequestId().hashCode(), config.holdoutEvery()) == 0;
            (holdOut ? heldOut : train).add(set);
        }
        double parentReward = GateEvaluation.atOne(labeler, heldOut, gateReward);
        double loss;
        long skipped;
        // Dropout draws from the engine's generator: seed it too, or the same sets train different weights.
        Labeler.seedRandom((int) (config.seed() + version));
        try (GrootTraining training = new GrootTraining(labeler, config.objective(), config.learningRate())) {
            loss = training.trainEpochs(train, config.epochs(), config.batchSize(), new Random(config.seed() + version));
            skipped = training.skippedUnknownLabels();
        }
        double newReward = GateEvaluation.atOne(labeler, heldOut, gateReward);
        boolean passes = Double.isFinite(loss)
                && (heldOut.isEmpty() || newReward >= parentReward - config.gateTolerance());
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("train.loss", loss);
        metrics.put("train.examples", (double) train.size());
        metrics.put("train.skippedUnknownLabels", (double) skipped);
        metrics.put("train.seconds", (System.nanoTime() - began) / 1e9);
        metrics.put("gate.examples", (double) heldOut.size());
        metrics.put("gate." + gateReward.name() + "@1", newReward);
        metrics.put("gate.serving." + gateReward.name() + "@1", parentReward);
        metrics.putAll(feedbackTimes(canonical));
        return new Outcome(passes, train.size(), loss, newReward, parentReward, metrics);
    }

    /**
     * Quantiles of when the feedback was given (epoch ms): once the version serves, serving time minus these is
     * its reward-to-serving latency (p01 of the times gives p99 of the latency).
     */
    private static Map<String, Double> feedbackTimes(List<ContrastSet> sets) {
        long[] times = sets.stream().filter(s -> s.getFeedbackTime() != null)
                .mapToLong(s -> s.getFeedbackTime().toEpochMilli()).sorted().toArray();
        if (times.length == 0) {
            return Map.of();
        }
        return Map.of(FEEDBACK_TIME_P01, (double) times[(int) (0.01 * (times.length - 1))],
                FEEDBACK_TIME_P50, (double) times[(int) (0.5 * (times.length - 1))],
                FEEDBACK_TIME_P99, (double) times[(int) (0.99 * (times.length - 1))]);
    }
}
