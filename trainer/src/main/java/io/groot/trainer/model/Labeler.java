package io.groot.trainer.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.groot.trainer.model.context.ContextEncoders;
import io.groot.trainer.model.context.ContextFeatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of the generative labeler: a DJL {@link Model} (PyTorch engine) plus its vocabularies. Offers
 * batched top-k beam search and teacher-forced sequence log-probabilities. Inference is safe from several
 * threads; training goes through {@link io.groot.trainer.groot.GrootTraining}, one trainer at a time.
 */
public final class Labeler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Labeler.class);
    /** The outside label of BIO tagging, the one an outside bias applies to. */
    public static final String OUTSIDE = "O";

    private final Model model;
    private final LabelerBlock block;
    private final Vocabulary vocabulary;
    private final LabelerConfig config;
    private final TrainedWords trainedWords;
    private final TokenFeatures features;
    /** Log-probability taken off the outside label at each step of beam search ({@link #setOutsideBias}). */
    private volatile float outsideBias;

    private Labeler(Model model, LabelerBlock block, Vocabulary vocabulary, LabelerConfig config,
                    ContextFeatures context, TrainedWords trainedWords) {
        this.model = model;
        this.block = block;
        this.vocabulary = vocabulary;
        this.config = config;
        this.trainedWords = trainedWords;
        this.features = new TokenFeatures(vocabulary, trainedWords, config, context);
    }

    /**
     * A freshly initialized labeler (random weights from {@code seed}) on DJL's default device. An architecture that
     * names a context encoder gets that encoder's SHA-256 recorded.
     */
    public static Labeler create(LabelerConfig config, Vocabulary vocabulary, int seed) {
        ContextFeatures context = contextOf(config);
        if (context != null) {
            config = config.withContextEncoder(context.encoder().name(), context.encoder().sha256());
        }
        seedRandom(seed);
        Labeler labeler = wrap(config, vocabulary, context, TrainedWords.none());
        labeler.block.setInitializer(new ai.djl.training.initializer.XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        labeler.block.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, ai.djl.nn.Parameter.Type.BIAS);
        labeler.block.initialize(labeler.model.getNDManager(), DataType.FLOAT32, labeler.block.inputShapes(1, 4, 1));
        return labeler;
    }

    /** Seeds the PyTorch engine's random numbers (initialization, dropout). */
    public static void seedRandom(int seed) {
        engine().setRandomSeed(seed);
    }

    /** The PyTorch engine, started offline: DJL calls home at engine start unless told not to. */
    static Engine engine() {
        DjlOffline.ensure();
        return Engine.getEngine("PyTorch");
    }

    private static ContextFeatures contextOf(LabelerConfig config) {
        return config.hasContextEncoder() ? ContextEncoders.named(config.contextEncoder()) : null;
    }

    /** A labeler with parameters read from {@link #saveParameters}' output. */
    static Labeler load(LabelerConfig config, Vocabulary vocabulary, TrainedWords trainedWords,
                        java.io.DataInputStream parameters) throws IOException {
        ContextFeatures context = contextOf(config);
        if (context != null && !context.encoder().sha256().equals(config.contextEncoderSha256())) {
            throw new IOException("the model was trained on the vectors of encoder '" + config.contextEncoder()
                    + "' with SHA-256 " + config.contextEncoderSha256() + ", but this process's encoder file has "
                    + context.encoder().sha256() + ": refusing a model whose input features would differ");
        }
        Labeler labeler = wrap(config, vocabulary, context, trainedWords);
        try {
            labeler.block.loadParameters(labeler.model.getNDManager(), parameters);
        } catch (MalformedModelException e) {
            labeler.close();
            throw new IOException("model parameters do not fit the architecture: " + e.getMessage(), e);
        }
        return labeler;
    }

    private static Labeler wrap(LabelerConfig config, Vocabulary vocabulary, ContextFeatures context,
                                TrainedWords trainedWords) {
        LabelerBlock block = new LabelerBlock(config, vocabulary.tokenCount(), vocabulary.labelCount(),
                context == null ? 0 : context.dimension());
        Model model = Model.newInstance("groot-labeler", engine().defaultDevice(), "PyTorch");
        model.setBlock(block);
        LOG.debug("labeler on {}", model.getNDManager().getDevice());
        return new Labeler(model, block, vocabulary, config, context, trainedWords);
    }

    void saveParameters(java.io.DataOutputStream out) throws IOException {
        block.saveParameters(out);
    }

    /**
     * Beam search ranks by the log-probability less {@code bias} for each outside label ({@value #OUTSIDE}); a
     * positive bias lets the labeler tag more spans. Likelihood training sets the share of outside labels of the
     * training text, not the decision that maximises span F1 on the text served (BTC's train holds fewer entities a
     * tweet than its valid and test, and the rounds' f0.5 reward favours dropping an uncertain span), so the bias
     * is chosen on held-out data and travels with the artifact. Reported scores stay the model's log-probability.
     */
    public void setOutsideBias(float bias) {
        if (!Float.isFinite(bias)) {
            throw new IllegalArgumentException("outside bias must be finite, got " + bias);
        }
        this.outsideBias = bias;
    }

    public float outsideBias() {
        return outsideBias;
    }

    /**
     * The top-k label sequences for each sentence, best first. Sentences are decoded in groups of equal length,
     * so a sentence's candidates and scores do not depend on what else is in the batch.
     */
    public List<List<ScoredSequence>> topK(List<? extends List<String>> sentences, int k) {
        List<List<ScoredSequence>> results = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            results.add(List.of());
        }
        Map<Integer, List<Integer>> groups = byLength(sentences);
        features.prepare(sentences);
        for (Map.Entry<Integer, List<Integer>> group : groups.entrySet()) {
            decodeGroup(sentences, group.getKey(), group.getValue(), k, results);
        }
        return results;
    }

    private void decodeGroup(List<? extends List<String>> sentences, int length, List<Integer> indices, int k,
                             List<List<ScoredSequence>> results) {
        List<List<String>> rows = new ArrayList<>();
        indices.forEach(i -> rows.add(sentences.get(i)));
        List<List<BeamSearch.Scored>> best;
        float bias = vocabulary.hasLabel(OUTSIDE) ? outsideBias : 0;
        int outside = bias == 0 ? -1 : vocabulary.labelId(OUTSIDE);
        try (NDManager scope = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray encoded = block.encode(ps, features.encode(scope, rows, length), false);
            NDArray[] state = {scope.zeros(new Shape(rows.size(), block.historySize())),
                    scope.zeros(new Shape(rows.size(), block.historySize()))};
            best = BeamSearch.search(rows.size(), length, vocabulary.labelCount(), k, vocabulary.startLabelId(),
                    (position, beamSentences, parents, lastLabels) -> {
                        NDArray parentRows = scope.create(longs(parents));
                        NDList out = block.step(ps, LabelerBlock.atPosition(encoded, position,
                                        scope.create(longs(beamSentences))), scope.create(longs(lastLabels)),
                                state[0].get(parentRows), state[1].get(parentRows));
                        state[0] = out.get(1);
                        state[1] = out.get(2);
                        float[] logProbs = out.get(0).toFloatArray();
                        if (outside >= 0) {
                            for (int i = outside; i < logProbs.length; i += vocabulary.labelCount()) {
                                logProbs[i] -= bias;
                            }
                        }
                        return logProbs;
                    });
        }
        for (int r = 0; r < rows.size(); r++) {
            List<ScoredSequence> scored = new ArrayList<>();
            for (BeamSearch.Scored sequence : best.get(r)) {
                double logProbability = sequence.score();
                if (outside >= 0) {
                    for (int label : sequence.labels()) {
                        logProbability += label == outside ? bias : 0;
                    }
                }
                scored.add(new ScoredSequence(scored.size() + 1, decode(sequence.labels()), logProbability));
            }
            results.set(indices.get(r), scored);
        }
    }

    /**
     * log p(next label | tokens, labels so far) for every label, by teacher forcing: an independent path to what
     * beam search computes step by step.
     */
    public float[] nextLabelLogProbs(List<String> sentence, List<String> prefix) {
        if (prefix.size() >= sentence.size()) {
            throw new IllegalArgumentException("every token already has a label");
        }
        try (NDManager scope = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDList inputs = features.encode(scope, List.of(sentence), sentence.size());
            inputs.add(TokenFeatures.previousLabels(scope, List.of(encodeLabels(prefix)), sentence.size(),
                    vocabulary.startLabelId()));
            NDArray logProbs = block.forward(ps, inputs, false).head();
            return logProbs.get(new ai.djl.ndarray.index.NDIndex("0, {}, :", prefix.size())).toFloatArray();
        }
    }

    private static long[] longs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Teacher-forced log p(labels | tokens) for each pair, grouped by length like {@link #topK}. */
    public double[] sequenceLogProbs(List<? extends List<String>> sentences, List<? extends List<String>> labelRows) {
        double[] out = new double[sentences.size()];
        Map<Integer, List<Integer>> groups = byLength(sentences);
        features.prepare(sentences);
        for (Map.Entry<Integer, List<Integer>> group : groups.entrySet()) {
            int length = group.getKey();
            List<List<String>> rows = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            for (int i : group.getValue()) {
                rows.add(sentences.get(i));
                labels.add(encodeLabels(labelRows.get(i)));
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                NDList inputs = features.encode(scope, rows, length);
                inputs.add(TokenFeatures.previousLabels(scope, labels, length, vocabulary.startLabelId()));
                float[] logProbs = block.forward(ps, inputs, false).head().toFloatArray();
                int labelCount = vocabulary.labelCount();
                for (int r = 0; r < rows.size(); r++) {
                    double sum = 0;
                    for (int t = 0; t < length; t++) {
                        sum += logProbs[(r * length + t) * labelCount + labels.get(r)[t]];
                    }
                    out[group.getValue().get(r)] = sum;
                }
            }
        }
        return out;
    }

    /** Label ids; @throws Vocabulary.UnknownLabelException for a label outside the model's set */
    public int[] encodeLabels(List<String> labels) {
        int[] ids = new int[labels.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.labelId(labels.get(i));
        }
        return ids;
    }

    private List<String> decode(int[] ids) {
        List<String> labels = new ArrayList<>(ids.length);
        for (int id : ids) {
            labels.add(vocabulary.label(id));
        }
        return labels;
    }

    private static Map<Integer, List<Integer>> byLength(List<? extends List<String>> sentences) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < sentences.size(); i++) {
            int length = sentences.get(i).size();
            if (length == 0) {
                throw new IllegalArgumentException("sentence " + i + " has no tokens");
            }
            groups.computeIfAbsent(length, n -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    public Model model() {
        return model;
    }

    public LabelerBlock block() {
        return block;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public LabelerConfig config() {
        return config;
    }

    /** The words read by their own id; any other reads as unknown. */
    public TrainedWords trainedWords() {
        return trainedWords;
    }

    public TokenFeatures features() {
        return features;
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public void close() {
        model.close();
    }
}
