package io.groot.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The generative labeler p(y | x) = prod_t p(y_t | x, y_{t-1}).
 *
 * <p>Encoder: word, prefix and suffix embeddings into a bidirectional LSTM (two one-way LSTMs). Decoder: autoregressive over
 * labels, each step conditioned on the encoder state at t and on the label emitted at t-1:
 * {@code log_softmax(W_o tanh(W_h h_t + W_y e(y_{t-1}) + b))}. Because a step depends on the history only
 * through y_{t-1}, every step's distribution for every possible previous label can be computed in one batched
 * pass ({@link #transitions}), which makes beam search cheap and exact in its scores.
 *
 * <p>Forward input: {@code [words, prefixes, suffixes]} of shape [B, T] and {@code previousLabels} of shape
 * [B*C, T] (C label sequences per input, grouped by input). Output: log-probabilities [B*C, T, L].
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
    private final Linear fromPreviousLabel;
    private final Linear output;

    public LabelerBlock(LabelerConfig config, int tokenCount, int labelCount) {
        this.config = config;
        this.labels = labelCount;
        words = addChildBlock("words", new IdEmbedding(tokenCount, config.wordDim()));
        prefixes = addChildBlock("prefixes", new IdEmbedding(config.affixBuckets(), config.affixDim()));
        suffixes = addChildBlock("suffixes", new IdEmbedding(config.affixBuckets(), config.affixDim()));
        // Two one-way LSTMs rather than LSTM.optBidirectional: DJL 0.36's bidirectional LSTM on PyTorch fails
        // whenever the input size differs from the state size.
        forwardEncoder = addChildBlock("forwardEncoder", oneWayLstm(config));
        backwardEncoder = addChildBlock("backwardEncoder", oneWayLstm(config));
        fromEncoder = addChildBlock("fromEncoder", Linear.builder().setUnits(config.decoderHidden()).build());
        previousLabel = addChildBlock("previousLabel", new IdEmbedding(labelCount + 1L, config.labelDim()));
        fromPreviousLabel = addChildBlock("fromPreviousLabel",
                Linear.builder().setUnits(config.decoderHidden()).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(labelCount).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray encoded = encode(ps, inputs, training);
        NDArray previous = inputs.get(3);
        long perInput = previous.getShape().get(0) / encoded.getShape().get(0);
        NDArray fromLabel = fromPreviousLabel.forward(ps,
                previousLabel.forward(ps, new NDList(previous), training), training).head();
        NDArray hidden = encoded.repeat(0, perInput).add(fromLabel).tanh();
        return new NDList(output.forward(ps, new NDList(hidden), training).head().logSoftmax(-1));
    }

    /**
     * Every step's label distribution for every possible previous label (including the start id):
     * log-probabilities of shape [B, T, L+1, L].
     */
    public NDArray transitions(ParameterStore ps, NDList features) {
        NDArray encoded = encode(ps, features, false);
        NDArray allLabels = previousLabel.table(ps, encoded, false);
        NDArray fromLabel = fromPreviousLabel.forward(ps, new NDList(allLabels), false).head();
        NDArray hidden = encoded.expandDims(2).add(fromLabel).tanh();
        return output.forward(ps, new NDList(hidden), false).head().logSoftmax(-1);
    }

    /** [B, T, decoderHidden]: the encoder's contribution to each decoding step. */
    private NDArray encode(ParameterStore ps, NDList inputs, boolean training) {
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

    private NDArray dropout(NDArray input, boolean training) {
        return training && config.dropout() > 0 ? Dropout.dropout(input, config.dropout(), true).head() : input;
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
        fromPreviousLabel.initialize(manager, dataType, new Shape(previous.get(0), previous.get(1),
                config.labelDim()));
        output.initialize(manager, dataType, new Shape(previous.get(0), previous.get(1), config.decoderHidden()));
    }

    private static LSTM oneWayLstm(LabelerConfig config) {
        return LSTM.builder().setStateSize(config.encoderHidden()).setNumLayers(1).optBatchFirst(true).build();
    }

    /** Input shapes for initialization with B inputs of length T and C sequences each. */
    public static Shape[] inputShapes(long batch, long length, long perInput) {
        Shape tokens = new Shape(batch, length);
        return new Shape[]{tokens, tokens, tokens, new Shape(batch * perInput, length)};
    }

    public static DataType idType() {
        return DataType.INT64;
    }
}
