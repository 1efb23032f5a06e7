package io.groot.trainer.bench;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.model.LabelerConfig;

import java.util.List;

/**
 * Settings of the offline quality benchmark.
 *
 * @param reward         the objective GROOT optimizes and the benchmark reports per rank (f0.5 by default)
 * @param k              beam width / candidates per sentence
 * @param nllEpochs      maximum-likelihood epochs of the baseline (the best on valid is kept)
 * @param rounds         GROOT rounds after it; the NLL-continued ablation gets as many extra epochs; 0 measures
 *                       the baseline alone
 * @param objectives     GROOT loss settings to try; with more than one, each GROOT variant trains with every one and
 *                       keeps the one whose best round scores highest on the valid split (test is never looked at)
 * @param maxCorrections corrected sequences per candidate
 * @param maxTrain       use at most this many training sentences (0: all)
 * @param trainingCandidates candidates per training sentence that GROOT rounds contrast (the evaluation uses k)
 * @param feedbackShare  share of the training sentences held back from the baseline and given to the rounds as
 *                       feedback on text the model has not seen, a new part each round, as in the stream (0: every
 *                       round revisits the baseline's own training sentences)
 * @param addReferences  whether correction adds the reference to a set whose candidates miss it (GROOT.md's design;
 *                       false leaves it to the NLL anchor alone: an experiment, see docs/QUALITY.md); with both, full
 *                       GROOT trains with each and keeps the one its valid split scores best, as with objectives
 * @param selection      what "best on valid" means for epochs, rounds and settings: {@code span-f1}, the corpus span F1
 *                       at rank 1 (the headline metric), or {@code reward}, the mean reward at rank 1
 * @param weightAverage  decay of the moving average of the weights that every model (baseline, rounds, ablations)
 *                       is judged, saved and generates candidates with ({@link io.groot.trainer.groot.WeightAverage});
 *                       0: the raw weights after the last step
 * @param calibrateOutsideBias whether every reported model (the baseline's chosen epoch, each variant's chosen round)
 *                       gets the outside bias its valid split scores best ({@link OutsideBiasCalibration}) before it
 *                       is evaluated on test; the rounds start from the baseline without it
 * @param interpolations shares of its move from the baseline that each round's model keeps: after a round trains
 *                       with share x, its weights become {@code x * trained + (1 - x) * baseline}, and the next round
 *                       goes on from there ({@link io.groot.trainer.groot.WeightInterpolation}); 1: the trained
 *                       weights. Each variant trains with every share listed and keeps the one its valid split
 *                       scores best (the first listed wins a tie)
 */
public record QualityBenchmarkConfig(String reward, int k, int nllEpochs, int rounds, List<GrootObjective> objectives,
                                     int maxCorrections, float nllLearningRate, float grootLearningRate,
                                     int batchSize, int maxTrain, int seed, LabelerConfig architecture,
                                     int trainingCandidates, double feedbackShare, List<Boolean> addReferences,
                                     String selection, double weightAverage, boolean calibrateOutsideBias,
                                     List<Double> interpolations) {
    public static final String SELECT_SPAN_F1 = "span-f1";
    public static final String SELECT_REWARD = "reward";

    public QualityBenchmarkConfig {
        if (!SELECT_SPAN_F1.equals(selection) && !SELECT_REWARD.equals(selection)) {
            throw new IllegalArgumentException("selection is span-f1 or reward, got '" + selection + "'");
        }
        objectives = List.copyOf(objectives);
        addReferences = List.copyOf(addReferences);
        if (objectives.isEmpty() || addReferences.isEmpty()) {
            throw new IllegalArgumentException("at least one GROOT loss setting and one add-reference value are "
                    + "needed");
        }
        if (nllEpochs < 1 || rounds < 0) {
            throw new IllegalArgumentException("the baseline needs at least one epoch and rounds cannot be negative, "
                    + "got " + nllEpochs + " epochs and " + rounds + " rounds");
        }
        if (weightAverage < 0 || weightAverage >= 1) {
            throw new IllegalArgumentException("weight average decay must be in [0, 1), got " + weightAverage);
        }
        interpolations = List.copyOf(interpolations);
        if (interpolations.isEmpty() || interpolations.stream().anyMatch(x -> !(x > 0 && x <= 1))) {
            throw new IllegalArgumentException("interpolation takes shares in (0, 1], got " + interpolations);
        }
        if (interpolations.stream().anyMatch(x -> x < 1) && weightAverage > 0) {
            throw new IllegalArgumentException("interpolation and a weight average are not combined: the average "
                    + "would judge weights the pull-back has not moved");
        }
        if (feedbackShare < 0 || feedbackShare >= 1) {
            throw new IllegalArgumentException("feedback share must be in [0, 1), got " + feedbackShare);
        }
    }

    public static QualityBenchmarkConfig defaults() {
        return new QualityBenchmarkConfig("f0.5", 4, 12, 3, List.of(GrootObjective.defaults()), 4, 2e-3f, 5e-4f, 32,
                0, 42, LabelerConfig.defaults(), 4, 0, List.of(true), SELECT_SPAN_F1, 0, true, List.of(1.0));
    }

    public QualityBenchmarkConfig withSeed(int newSeed) {
        return new QualityBenchmarkConfig(reward, k, nllEpochs, rounds, objectives, maxCorrections, nllLearningRate,
                grootLearningRate, batchSize, maxTrain, newSeed, architecture, trainingCandidates, feedbackShare,
                addReferences, selection, weightAverage, calibrateOutsideBias, interpolations);
    }

    public QualityBenchmarkConfig withCalibrateOutsideBias(boolean calibrate) {
        return new QualityBenchmarkConfig(reward, k, nllEpochs, rounds, objectives, maxCorrections, nllLearningRate,
                grootLearningRate, batchSize, maxTrain, seed, architecture, trainingCandidates, feedbackShare,
                addReferences, selection, weightAverage, calibrate, interpolations);
    }

    public QualityBenchmarkConfig withFeedbackShare(double share) {
        return new QualityBenchmarkConfig(reward, k, nllEpochs, rounds, objectives, maxCorrections, nllLearningRate,
                grootLearningRate, batchSize, maxTrain, seed, architecture, trainingCandidates, share,
                addReferences, selection, weightAverage, calibrateOutsideBias, interpolations);
    }

    public QualityBenchmarkConfig withInterpolations(List<Double> shares) {
        return new QualityBenchmarkConfig(reward, k, nllEpochs, rounds, objectives, maxCorrections, nllLearningRate,
                grootLearningRate, batchSize, maxTrain, seed, architecture, trainingCandidates, feedbackShare,
                addReferences, selection, weightAverage, calibrateOutsideBias, shares);
    }
}
