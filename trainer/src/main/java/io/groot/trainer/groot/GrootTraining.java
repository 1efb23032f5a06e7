package io.groot.trainer.groot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerBlock;
import io.groot.trainer.model.TokenFeatures;
import io.groot.trainer.model.Vocabulary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * GROOT's contrast step as DJL training: one {@link Trainer} with {@link GrootLoss} and Adam over a labeler.
 * Each optimizer step is one batched teacher-forced pass over every member of every contrast set in the batch.
 * The same class trains maximum likelihood (contrast sets holding only the reference, see
 * {@link #referenceOnly}), GROOT rounds in the streaming trainer, and the offline benchmark.
 */
public final class GrootTraining implements AutoCloseable {
    private final Labeler labeler;
    private final GrootObjective objective;
    private final Trainer trainer;
    private final WeightAverage average;
    private long skippedUnknownLabels;

    public GrootTraining(Labeler labeler, GrootObjective objective, float learningRate) {
        this(labeler, objective, learningRate, 0);
    }

    /**
     * With {@code averageDecay} in (0, 1), a {@link WeightAverage} of the weights is kept over the steps, and
     * {@link #averaged} runs code with it in place; 0 keeps none.
     */
    public GrootTraining(Labeler labeler, GrootObjective objective, float learningRate, double averageDecay) {
        this.labeler = labeler;
        this.objective = objective;
        DefaultTrainingConfig config = new DefaultTrainingConfig(new GrootLoss(objective))
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate))
                        .optClipGrad(5f).build())
                .optDevices(new ai.djl.Device[]{labeler.device()});
        this.trainer = labeler.model().newTrainer(config);
        trainer.initialize(labeler.block().inputShapes(1, 4, 1));
        this.average = averageDecay > 0 ? new WeightAverage(labeler, averageDecay) : null;
    }

    /**
     * Runs {@code action} with the averaged weights in the labeler (the model this training gives: evaluate, save
     * or generate with it), then puts the trained weights back; without an average, just runs it.
     */
    public <T, E extends Exception> T averaged(WeightAverage.Action<T, E> action) throws E {
        return average == null ? action.run() : average.applied(action);
    }

    /** Leaves the averaged weights in the labeler for good, if an average is kept. */
    public void keepAveraged() {
        if (average != null) {
            average.keep();
        }
    }

    /** One optimizer step on these contrast sets; returns the batch loss (NaN if no set was usable). */
    public float step(List<ContrastSet> sets) {
        List<ContrastSet> usable = new ArrayList<>(sets.size());
        for (ContrastSet set : sets) {
            if (fitsLabelSet(set)) {
                usable.add(set);
            } else {
                skippedUnknownLabels++;
            }
        }
        if (usable.isEmpty()) {
            return Float.NaN;
        }
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList[] batch = tensors(scope, usable);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch[0], batch[1]);
                NDArray value = trainer.getLoss().evaluate(batch[1], predictions);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            if (average != null) {
                average.update();
            }
            return loss;
        }
    }

    /** Shuffled mini-batch passes over {@code sets}; returns the mean loss of the last epoch. */
    public double trainEpochs(List<ContrastSet> sets, int epochs, int batchSize, Random random) {
        List<ContrastSet> order = new ArrayList<>(sets);
        double lastEpochLoss = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            Collections.shuffle(order, random);
            double sum = 0;
            int steps = 0;
            for (int from = 0; from < order.size(); from += batchSize) {
                float loss = step(order.subList(from, Math.min(order.size(), from + batchSize)));
                if (!Float.isNaN(loss)) {
                    sum += loss;
                    steps++;
                }
            }
            lastEpochLoss = steps == 0 ? Double.NaN : sum / steps;
        }
        return lastEpochLoss;
    }

    /** Contrast sets that only hold the reference: training on them is maximum likelihood. */
    public static ContrastSet referenceOnly(String id, List<String> tokens, List<String> labels) {
        return ContrastSet.newBuilder().setRequestId(id).setTokens(tokens).setModelVersion(0)
                .setRewardFunction("reference").setRewardEventId(id).setReferenceLabels(labels)
                .setMembers(List.of(new ContrastMember(labels, 1.0, io.groot.schemas.Origin.REFERENCE, null, null)))
                .build();
    }

    public long skippedUnknownLabels() {
        return skippedUnknownLabels;
    }

    private boolean fitsLabelSet(ContrastSet set) {
        Vocabulary vocabulary = labeler.vocabulary();
        for (List<String> labels : rows(set)) {
            if (labels.size() != set.getTokens().size() || !labels.stream().allMatch(vocabulary::hasLabel)) {
                return false;
            }
        }
        return !set.getMembers().isEmpty() && !set.getTokens().isEmpty();
    }

    /**
     * [data, labels] as laid out for {@link io.groot.trainer.model.LabelerBlock} and {@link GrootLoss}. A set whose
     * reference is not among its members gets it as an extra anchor row: masked out of the contrast, counted in
     * the NLL term.
     */
    private NDList[] tensors(NDManager scope, List<ContrastSet> sets) {
        int length = sets.stream().mapToInt(s -> s.getTokens().size()).max().orElse(1);
        int width = sets.stream().mapToInt(s -> rows(s).size()).max().orElse(1);
        int start = labeler.vocabulary().startLabelId();
        List<List<String>> tokens = new ArrayList<>(sets.size());
        List<int[]> memberLabels = new ArrayList<>(sets.size() * width);
        long[] targets = new long[sets.size() * width * length];
        float[] tokenMask = new float[targets.length];
        float[] q = new float[sets.size() * width];
        float[] memberMask = new float[q.length];
        float[] reference = new float[q.length];
        for (int s = 0; s < sets.size(); s++) {
            ContrastSet set = sets.get(s);
            tokens.add(set.getTokens());
            List<List<String>> rows = rows(set);
            double[] target = targetDistribution(set.getMembers());
            for (int m = 0; m < width; m++) {
                int row = s * width + m;
                if (m >= rows.size()) {
                    memberLabels.add(new int[0]);
                    continue;
                }
                int[] ids = labeler.encodeLabels(rows.get(m));
                memberLabels.add(ids);
                for (int t = 0; t < ids.length; t++) {
                    targets[row * length + t] = ids[t];
                    tokenMask[row * length + t] = 1f;
                }
                boolean member = m < set.getMembers().size();
                q[row] = member ? (float) target[m] : 0f;
                memberMask[row] = member ? 1f : 0f;
                reference[row] = rows.get(m).equals(set.getReferenceLabels()) ? 1f : 0f;
            }
        }
        NDList data = labeler.features().encodeForTraining(scope, tokens, length);
        data.add(TokenFeatures.previousLabels(scope, memberLabels, length, start));
        Shape rows = new Shape((long) sets.size() * width, length);
        Shape grid = new Shape(sets.size(), width);
        NDList labels = new NDList(scope.create(targets, rows), scope.create(tokenMask, rows), scope.create(q, grid),
                scope.create(memberMask, grid), scope.create(reference, grid));
        return new NDList[]{data, labels};
    }

    /** The label rows a set trains: its members, then its reference if no member is the reference. */
    private static List<List<String>> rows(ContrastSet set) {
        List<List<String>> rows = new ArrayList<>(set.getMembers().size() + 1);
        set.getMembers().forEach(m -> rows.add(m.getLabels()));
        List<String> ref = set.getReferenceLabels();
        if (ref != null && ref.size() == set.getTokens().size() && !rows.contains(ref)) {
            rows.add(ref);
        }
        return rows;
    }

    /** q(y) = softmax(R(y) / tau) over the set's members. */
    double[] targetDistribution(List<ContrastMember> members) {
        double max = members.stream().mapToDouble(ContrastMember::getReward).max().orElse(0);
        double[] q = new double[members.size()];
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            q[i] = Math.exp((members.get(i).getReward() - max) / objective.tau());
            sum += q[i];
        }
        for (int i = 0; i < q.length; i++) {
            q[i] /= sum;
        }
        return q;
    }

    @Override
    public void close() {
        if (average != null) {
            average.close();
        }
        trainer.close();
    }
}
