package io.groot.trainer.model;

import java.util.Properties;

/**
 * Architecture of the labeler; stored in every artifact so a version can be rebuilt exactly.
 *
 * @param wordDim        word embedding size (vocabulary from the corpus the first version saw; lower-cased ids)
 * @param affixDim       size of each hashed prefix / suffix embedding: unseen words still get features
 * @param affixBuckets   hash buckets for prefixes and suffixes
 * @param shapeDim       size of the word-shape embedding ({@link WordShape}: case, digits, '@', '#', URL); 0: none
 * @param charDim        size of the character embedding of the per-word character CNN; 0: no character encoder
 * @param charFilters    filters of that CNN (width 3, max-pooled over the word): the word's character vector
 * @param encoderHidden  BiLSTM state size per direction
 * @param labelDim       size of the label embedding fed to the decoder's label-history LSTM
 * @param historyHidden  state size of that LSTM: the decoder's memory of every label emitted so far
 * @param decoderHidden  decoder hidden layer size
 * @param dropout        dropout rate on embeddings and encoder states while training (0 at inference)
 * @param wordDropout    share of word ids read as unknown while training, so that the model learns to tag a word
 *                       from its shape, characters and context rather than memorise its id (0 at inference)
 * @param contextEncoder the frozen pretrained encoder whose word vectors join the BiLSTM input ({@code none}, or a
 *                       name {@link io.groot.trainer.model.context.ContextEncoders} knows)
 * @param contextEncoderSha256 SHA-256 of that encoder's model file (empty for none): an artifact is refused by a
 *                       process whose encoder file differs, since its weights were trained on that file's vectors
 */
public record LabelerConfig(int wordDim, int affixDim, int affixBuckets, int shapeDim, int charDim, int charFilters,
                            int encoderHidden, int labelDim, int historyHidden, int decoderHidden, float dropout,
                            float wordDropout, String contextEncoder, String contextEncoderSha256) {
    public static final String NO_CONTEXT_ENCODER = "none";

    public LabelerConfig {
        if (contextEncoder == null || contextEncoder.isBlank()) {
            contextEncoder = NO_CONTEXT_ENCODER;
        }
        if (contextEncoderSha256 == null) {
            contextEncoderSha256 = "";
        }
        if (shapeDim < 0 || charDim < 0 || charFilters < 0 || (charDim > 0) != (charFilters > 0)) {
            throw new IllegalArgumentException("shapeDim, charDim and charFilters must be >= 0, and charDim and "
                    + "charFilters both 0 or both positive");
        }
    }

    /** The word, affix and BiLSTM labeler alone: no shape, characters or pretrained encoder. */
    public LabelerConfig(int wordDim, int affixDim, int affixBuckets, int encoderHidden, int labelDim,
                         int historyHidden, int decoderHidden, float dropout) {
        this(wordDim, affixDim, affixBuckets, 0, 0, 0, encoderHidden, labelDim, historyHidden, decoderHidden, dropout,
                0f, NO_CONTEXT_ENCODER, "");
    }

    /** Words, affixes, shape and characters; no pretrained encoder (see {@link #withContextEncoder}). */
    public static LabelerConfig defaults() {
        return new LabelerConfig(64, 24, 4096, 16, 24, 64, 96, 32, 64, 128, 0.3f, 0.25f, NO_CONTEXT_ENCODER, "");
    }

    public LabelerConfig withContextEncoder(String name, String sha256) {
        return new LabelerConfig(wordDim, affixDim, affixBuckets, shapeDim, charDim, charFilters, encoderHidden,
                labelDim, historyHidden, decoderHidden, dropout, wordDropout, name, sha256);
    }

    public boolean hasContextEncoder() {
        return !NO_CONTEXT_ENCODER.equals(contextEncoder);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("wordDim", Integer.toString(wordDim));
        p.setProperty("affixDim", Integer.toString(affixDim));
        p.setProperty("affixBuckets", Integer.toString(affixBuckets));
        p.setProperty("shapeDim", Integer.toString(shapeDim));
        p.setProperty("charDim", Integer.toString(charDim));
        p.setProperty("charFilters", Integer.toString(charFilters));
        p.setProperty("encoderHidden", Integer.toString(encoderHidden));
        p.setProperty("labelDim", Integer.toString(labelDim));
        p.setProperty("historyHidden", Integer.toString(historyHidden));
        p.setProperty("decoderHidden", Integer.toString(decoderHidden));
        p.setProperty("dropout", Float.toString(dropout));
        p.setProperty("wordDropout", Float.toString(wordDropout));
        p.setProperty("contextEncoder", contextEncoder);
        p.setProperty("contextEncoderSha256", contextEncoderSha256);
        return p;
    }

    /** Reads {@link #toProperties}; artifacts from before shape, characters and encoders lack those keys (none). */
    public static LabelerConfig fromProperties(Properties p) {
        return new LabelerConfig(intOf(p, "wordDim"), intOf(p, "affixDim"), intOf(p, "affixBuckets"),
                optionalInt(p, "shapeDim"), optionalInt(p, "charDim"), optionalInt(p, "charFilters"),
                intOf(p, "encoderHidden"), intOf(p, "labelDim"), intOf(p, "historyHidden"), intOf(p, "decoderHidden"),
                Float.parseFloat(p.getProperty("dropout", "0")), Float.parseFloat(p.getProperty("wordDropout", "0")),
                p.getProperty("contextEncoder", NO_CONTEXT_ENCODER), p.getProperty("contextEncoderSha256", ""));
    }

    private static int optionalInt(Properties p, String key) {
        return p.getProperty(key) == null ? 0 : intOf(p, key);
    }

    private static int intOf(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("labeler config lacks '" + key + "'");
        }
        return Integer.parseInt(value.trim());
    }
}
