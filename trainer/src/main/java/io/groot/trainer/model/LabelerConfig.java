package io.groot.trainer.model;

import java.util.Properties;

/**
 * Architecture of the labeler; stored in every artifact so a version can be rebuilt exactly.
 *
 * @param wordDim        word embedding size (vocabulary from the corpus the first version saw)
 * @param affixDim       size of each hashed prefix / suffix embedding: unseen words still get features
 * @param affixBuckets   hash buckets for prefixes and suffixes
 * @param encoderHidden  BiLSTM state size per direction
 * @param labelDim       size of the label embedding fed to the decoder's label-history LSTM
 * @param historyHidden  state size of that LSTM: the decoder's memory of every label emitted so far
 * @param decoderHidden  decoder hidden layer size
 * @param dropout        dropout rate on embeddings and encoder states while training (0 at inference)
 */
public record LabelerConfig(int wordDim, int affixDim, int affixBuckets, int encoderHidden, int labelDim,
                            int historyHidden, int decoderHidden, float dropout) {

    public static LabelerConfig defaults() {
        return new LabelerConfig(64, 24, 4096, 96, 32, 64, 128, 0.3f);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("wordDim", Integer.toString(wordDim));
        p.setProperty("affixDim", Integer.toString(affixDim));
        p.setProperty("affixBuckets", Integer.toString(affixBuckets));
        p.setProperty("encoderHidden", Integer.toString(encoderHidden));
        p.setProperty("labelDim", Integer.toString(labelDim));
        p.setProperty("historyHidden", Integer.toString(historyHidden));
        p.setProperty("decoderHidden", Integer.toString(decoderHidden));
        p.setProperty("dropout", Float.toString(dropout));
        return p;
    }

    public static LabelerConfig fromProperties(Properties p) {
        return new LabelerConfig(intOf(p, "wordDim"), intOf(p, "affixDim"), intOf(p, "affixBuckets"),
                intOf(p, "encoderHidden"), intOf(p, "labelDim"), intOf(p, "historyHidden"), intOf(p, "decoderHidden"),
                Float.parseFloat(p.getProperty("dropout", "0")));
    }

    private static int intOf(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("labeler config lacks '" + key + "'");
        }
        return Integer.parseInt(value.trim());
    }
}
