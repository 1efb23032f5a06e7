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
 * <p>Encoder: word, prefix and suffix embeddings, and as configured a word-shape embedding, a character CNN
 * (embedded characters, a width-3 convolution, max-pooled over the word) and a frozen pretrained encoder's word
 * vectors, concatenated into a bidirectional LSTM (two one-way LSTMs: DJL 0.36's bidirectional LSTM on PyTorch fails
 * whenever the input size differs from the state size). Decoder:
 * autoregressive; a label-history LSTM reads the labels emitted so far, d_t = LSTM(e(y_{t-1}), d_{t-1}), and
 * {@code p(y_t | ...) = softmax(W_o tanh(W_h h_t + W_d d_t + b))}, h_t being the encoder state at t.
 *
 * <p>Teacher-forced forward input: the {@link TokenFeatures} arrays for B inputs of length T, then
 * {@code previousLabels} [B*C, T] (C label sequences per input, grouped by input; the start id first), always last.
 * Output: log-probabilities
 * [B*C, T, L]. Beam search uses {@link #encode} once and {@link #step} per position.
 */
public final class LabelerBlock extends AbstractBlock {
    private final LabelerConfig config;
    private final int labels;
    private final IdEmbedding words;
    private final IdEmbedding prefixes;
    private final IdEmbedding suffixes;
    private final IdEmbedding shapes;
    private final IdEmbedding characters;
    private final Linear characterFilters;
    private final int contextDimension;
    private final LSTM forwardEncoder;
    private final LSTM backwardEncoder;
    private final Linear fromEncoder;
    private final IdEmbedding previousLabel;
    private final LSTM labelHistory;
    private final Linear fromHistory;
    private final Linear output;

    /** @param contextDimension size of the pretrained encoder's word vectors (0 without one) */
    public LabelerBlock(LabelerConfig config, int tokenCount, int labelCount, int contextDimension) {
        this.config = config;
        this.labels = labelCount;
        this.contextDimension = contextDimension;
        words = addChildBlock("words", new IdEmbedding(tokenCount, config.wordDim()));
        prefixes = addChildBlock("prefixes", new IdEmbedding(config.affixBuckets(), config.affixDim()));
        suffixes = addChildBlock("suffixes", new IdEmbedding(config.affixBuckets(), config.affixDim()));
        // Present only when configured: an artifact from before them keeps its parameter layout.
        shapes = config.shapeDim() > 0
                ? addChildBlock("shapes", new IdEmbedding(WordShape.count() + 1L, config.shapeDim())) : null;
        characters = config.charDim() > 0
                ? addChildBlock("characters", new IdEmbedding(TokenFeatures.CHAR_IDS, config.charDim())) : null;
        characterFilters = config.charDim() > 0 ? addChildBlock("characterFilters",
                Linear.builder().setUnits(config.charFilters()).build()) : null;
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
        NDArray previous = inputs.get(inputs.size() - 1);
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
        NDList parts = new NDList(
                words.forward(ps, new NDList(dropWords(inputs.get(0), training)), training).head(),
                prefixes.forward(ps, new NDList(inputs.get(1)), training).head(),
                suffixes.forward(ps, new NDList(inputs.get(2)), training).head());
        int next = 3;
        if (shapes != null) {
            parts.add(shapes.forward(ps, new NDList(inputs.get(next++)), training).head());
        }
        if (characters != null) {
            parts.add(characterVectors(ps, inputs.get(next++), training));
        }
        if (contextDimension > 0) {
            parts.add(inputs.get(next));
        }
        NDArray embedded = dropout(NDArrays.concat(parts, -1), training);
        NDArray forwardStates = forwardEncoder.forward(ps, new NDList(embedded), training).head();
        NDArray backwardStates = backwardEncoder.forward(ps, new NDList(embedded.flip(1)), training).head().flip(1);
        NDArray states = dropout(NDArrays.concat(new NDList(forwardStates, backwardStates), -1), training);
        return fromEncoder.forward(ps, new NDList(states), training).head();
    }

    /**
     * [B, T, W] character ids to [B, T, charFilters]: embed, a width-3 convolution along the word (as one linear
     * layer over each window of three embedded characters, zero-padded at both ends), tanh, max over the word. Not
     * DJL's Conv1d: PyTorch's CPU convolution tries NNPACK, which warns on every call on CPUs it does not support.
     */
    private NDArray characterVectors(ParameterStore ps, NDArray ids, boolean training) {
        Shape shape = ids.getShape();
        long wordCount = shape.get(0) * shape.get(1);
        int width = (int) shape.get(2);
        NDArray embedded = characters.forward(ps, new NDList(ids.reshape(wordCount, width)), training).head();
        NDArray edge = embedded.getManager().zeros(new Shape(wordCount, 1, config.charDim()), embedded.getDataType());
        NDArray padded = NDArrays.concat(new NDList(edge, embedded, edge), 1);
        NDArray windows = NDArrays.concat(new NDList(
                padded.get(new NDIndex(":, 0:{}, :", width)),
                padded.get(new NDIndex(":, 1:{}, :", width + 1)),
                padded.get(new NDIndex(":, 2:{}, :", width + 2))), -1);
        NDArray filtered = characterFilters.forward(ps, new NDList(windows), training).head().tanh();
        return filtered.max(new int[]{1}).reshape(shape.get(0), shape.get(1), config.charFilters());
    }

    /** The encoder contributions of position t for the given rows: [rows, decoderHidden]. */
    static NDArray atPosition(NDArray encoded, int t, NDArray rows) {
        return encoded.get(new NDIndex(":, {}, :", t)).get(rows);
    }

    /** While training, a share of the (non-padding) word ids read as unknown. */
    private NDArray dropWords(NDArray ids, boolean training) {
        if (!training || config.wordDropout() <= 0) {
            return ids;
        }
        NDArray dropped = ids.getManager().randomUniform(0f, 1f, ids.getShape()).lt(config.wordDropout())
                .logicalAnd(ids.gt(Vocabulary.PAD_ID));
        return NDArrays.where(dropped, ids.zerosLike().add(Vocabulary.UNKNOWN_ID), ids);
    }

    private NDArray dropout(NDArray input, boolean training) {
        return training && config.dropout() > 0 ? Dropout.dropout(input, config.dropout(), true).head() : input;
    }

    public int historySize() {
        return config.historyHidden();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape previous = inputShapes[inputShapes.length - 1];
        return new Shape[]{new Shape(previous.get(0), previous.get(1), labels)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        Shape previous = inputShapes[inputShapes.length - 1];
        words.initialize(manager, dataType, tokens);
        prefixes.initialize(manager, dataType, tokens);
        suffixes.initialize(manager, dataType, tokens);
        long embedded = config.wordDim() + 2L * config.affixDim() + config.shapeDim() + config.charFilters()
                + contextDimension;
        if (shapes != null) {
            shapes.initialize(manager, dataType, tokens);
        }
        if (characters != null) {
            long wordCount = tokens.get(0) * tokens.get(1);
            characters.initialize(manager, dataType, new Shape(wordCount, TokenFeatures.CHARS_PER_WORD));
            characterFilters.initialize(manager, dataType,
                    new Shape(wordCount, TokenFeatures.CHARS_PER_WORD, 3L * config.charDim()));
        }
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
    public Shape[] inputShapes(long batch, long length, long perInput) {
        Shape tokens = new Shape(batch, length);
        java.util.List<Shape> shapes = new java.util.ArrayList<>(java.util.List.of(tokens, tokens, tokens));
        if (config.shapeDim() > 0) {
            shapes.add(tokens);
        }
        if (config.charDim() > 0) {
            shapes.add(new Shape(batch, length, TokenFeatures.CHARS_PER_WORD));
        }
        if (contextDimension > 0) {
            shapes.add(new Shape(batch, length, contextDimension));
        }
        shapes.add(new Shape(batch * perInput, length));
        return shapes.toArray(Shape[]::new);
    }
}
