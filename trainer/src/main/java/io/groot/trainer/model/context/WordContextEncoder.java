package io.groot.trainer.model.context;

import java.util.List;

/**
 * A frozen pretrained encoder that gives every word of a pre-split sentence a vector read in its context. Its
 * vectors join the labeler's BiLSTM input; nothing trains them.
 */
public interface WordContextEncoder {
    /** The name artifacts record ({@code LabelerConfig.contextEncoder}). */
    String name();

    /** SHA-256 of the model file: an artifact trained on another file's vectors is refused. */
    String sha256();

    /** Size of each word vector. */
    int dimension();

    /**
     * One array per sentence of {@code words * dimension()} floats, word by word. A sentence's vectors do not depend
     * on the other sentences passed with it.
     */
    List<float[]> encode(List<? extends List<String>> sentences);
}
