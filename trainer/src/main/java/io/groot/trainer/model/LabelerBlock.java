package io.groot.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The generative labeler p(y | x) = prod_t p(y_t | x, y_1..y_{t-1}).
 *
 * <p>Encoder: word, prefix and suffix embeddings into a bidirectional LSTM (two one-way LSTMs: DJL 0.36's
 * bidirectional LSTM on PyTorch fails whenever the input size differs from the state size). Decoder:
 * autoregressive; a label-history LSTM reads the labels emitted so far, d_t = LSTM(e(y_{t-1}), d_{t-1}), and
 * {@code p(y_t | ...) = softmax(W_o tanh(W_h h_t + W_d d_t + b))}, h_t being the encoder state at t.
 *
 * <p>Teacher-forced forward input: {@code [words, prefixes, suffixes]} of shape [B, T] and {@code previousLabels}
 * [B*C, T] (C label sequences per input, grouped by input; the start id first). Output: log-probabilities
 * [B*C, T, L]. Beam search uses {@link #encode} once and {@link #step} per position.
 */
public final class LabelerBlock extends AbstractBlock {
    private final LabelerConfig config;
    private final int labels;
    private final IdEmbedding words;
    private final IdEmbedding prefixes;
    private final IdEmbedding suffixes;
    private final LSTM forwardEncoder;
    private final LSTM backwardEncoder;
    private final Linear fromEncoder;
    private final IdEmbedding previousLabel;
    private final LSTM labelHistory;
    private final Linear fromHistory;
    private final Linear output;

    public LabelerBlock(LabelerConfig config, int tokenCount, int labelCount) {
        this.config = config;
        this.labels = labelCount;
        words = addChildBlock("words", new IdEmbedding(tokenCount, config.wordDim()));
        prefixes = addChildBlock("prefixes", new IdEmbedding(config.affixBuckets(), config.affixDim()));
        suffixes = addChildBlock("suffixes", new IdEmbedding(config.affixBuckets(), config.affixDim()));
        forwardEncoder = addChildBlock("forwardEncoder", lstm(config.encoderHidden(), false));
        backwardEncoder = addChildBlock("backwardEncoder", lstm(config.encoderHidden(), false));
        fromEncoder = addChildBlock("fromEncoder", Linear.builder().setUnits(config.decoderHidden()).build());
        previousLabel = addChildBlock("previousLabel", new IdEmbedding(labelCount + 1L, config.labelDim()));
        labelHistory = addChildBlock("labelHistory", lstm(config.historyHidden(), true));
        fromHistory = addChildBlock("fromHistory",
                Linear.builder().setUnits(config.decoderHidden()).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(labelCount).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray encoded = encode(ps, inputs, training);
        NDArray previous = inputs.get(3);
        long perInput = previous.getShape().get(0) / encoded.getShape().get(0);
        NDArray history = labelHistory.forward(ps,
                new NDList(previousLabel.forward(ps, new NDList(previous), training).head()), training).head();
        return new NDList(decode(ps, encoded.repeat(0, perInput), history, training));
    }

    /**
     * One decoding step for N beams: their encoder contributions at this position [N, decoderHidden], the label
     * each emitted last [N] (the start id at first), and their history states h, c [N, historyHidden].
     * Returns log-probabilities [N, L] and the new h and c.
     */
    public NDList step(ParameterStore ps, NDArray encodedAtPosition, NDArray lastLabels, NDArray h, NDArray c) {
        NDArray embedded = previousLabel.forward(ps, new NDList(lastLabels.expandDims(1)), false).head();
        NDList out = labelHistory.forward(ps, new NDList(embedded, h.expandDims(0), c.expandDims(0)), false);
        NDArray logProbs = decode(ps, encodedAtPosition, out.get(0).squeeze(1), false);
        return new NDList(logProbs, out.get(1).squeeze(0), out.get(2).squeeze(0));
    }

    private NDArray decode(ParameterStore ps, NDArray encoded, NDArray history, boolean training) {
        NDArray hidden = encoded.add(fromHistory.forward(ps, new NDList(history), training).head()).tanh();
        return output.forward(ps, new NDList(hidden), training).head().logSoftmax(-1);
    }

    /** [B, T, decoderHidden]: the encoder's contribution to each decoding step. */
    public NDArray encode(ParameterStore ps, NDList inputs, boolean training) {
        NDArray embedded = NDArrays.concat(new NDList(
                words.forward(ps, new NDList(inputs.get(0)), training).head(),
                prefixes.forward(ps, new NDList(inputs.get(1)), training).head(),
                suffixes.forward(ps, new NDList(inputs.get(2)), training).head()), -1);
        embedded = dropout(embedded, training);
        NDArray forwardStates = forwardEncoder.forward(ps, new NDList(embedded), training).head();
        NDArray backwardStates = backwardEncoder.forward(ps, new NDList(embedded.flip(1)), training).head().flip(1);
        NDArray states = dropout(NDArrays.concat(new NDList(forwardStates, backwardStates), -1), training);
        return fromEncoder.forward(ps, new NDList(states), training).head();
    }

    /** The encoder contributions of position t for the given rows: [rows, decoderHidden]. */
    static NDArray atPosition(NDArray encoded, int t, NDArray rows) {
        return encoded.get(new NDIndex(":, {}, :", t)).get(rows);
    }

    private NDArray dropout(NDArray input, boolean training) {
        return training && config.dropout() > 0 ? Dropout.dropout(input, config.dropout(), true).head() : input;
    }

    public int historySize() {
        return config.historyHidden();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape previous = inputShapes[3];
        return new Shape[]{new Shape(previous.get(0), previous.get(1), labels)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        Shape previous = inputShapes[3];
        words.initialize(manager, dataType, tokens);
        prefixes.initialize(manager, dataType, tokens);
        suffixes.initialize(manager, dataType, tokens);
        long embedded = config.wordDim() + 2L * config.affixDim();
        forwardEncoder.initialize(manager, dataType, new Shape(tokens.get(0), tokens.get(1), embedded));
        backwardEncoder.initialize(manager, dataType, new Shape(tokens.get(0), tokens.get(1), embedded));
        fromEncoder.initialize(manager, dataType,
                new Shape(tokens.get(0), tokens.get(1), 2L * config.encoderHidden()));
        previousLabel.initialize(manager, dataType, previous);
        labelHistory.initialize(manager, dataType, new Shape(previous.get(0), previous.get(1), config.labelDim()));
        fromHistory.initialize(manager, dataType,
                new Shape(previous.get(0), previous.get(1), config.historyHidden()));
        output.initialize(manager, dataType, new Shape(previous.get(0), previous.get(1), config.decoderHidden()));
    }

    private static LSTM lstm(int stateSize, boolean returnState) {
        return LSTM.builder().setStateSize(stateSize).setNumLayers(1).optBatchFirst(true)
                .optReturnState(returnState).build();
    }

    /** Input shapes for initialization with B inputs of length T and C sequences each. */
    public static Shape[] inputShapes(long batch, long length, long perInput) {
        Shape tokens = new Shape(batch, length);
        return new Shape[]{tokens, tokens, tokens, new Shape(batch * perInput, length)};
    }
}
