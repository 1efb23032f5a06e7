package io.groot.trainer.model;

import java.util.BitSet;

/**
 * The word ids whose embeddings a labeler has been trained on. A vocabulary also lists words of text nobody has
 * labelled yet (the stream's texts, a benchmark's valid split), whose embedding rows keep their random start until
 * a training step sees them. Until then such a word reads as unknown, the row word dropout trains, as a word the
 * vocabulary lacks does: otherwise held-out text would be read differently depending on whether the vocabulary
 * happened to list its words (docs/QUALITY.md measures it on BTC).
 *
 * <p>Reads are lock-free (inference runs on several threads); training adds ids by replacing the set.
 */
public final class TrainedWords {
    private volatile BitSet ids;

    private TrainedWords(BitSet ids) {
        this.ids = ids;
    }

    /** A fresh labeler's: no word trained yet. */
    public static TrainedWords none() {
        return new TrainedWords(new BitSet());
    }

    /** Every id below {@code tokenCount}: how artifacts from before this record read every word they list. */
    public static TrainedWords all(int tokenCount) {
        BitSet ids = new BitSet(tokenCount);
        ids.set(0, tokenCount);
        return new TrainedWords(ids);
    }

    public static TrainedWords fromBytes(byte[] bytes) {
        return new TrainedWords(BitSet.valueOf(bytes));
    }

    public byte[] toBytes() {
        return ids.toByteArray();
    }

    public boolean contains(int id) {
        return ids.get(id);
    }

    /** How many word ids have been trained. */
    public int count() {
        return ids.cardinality();
    }

    /** Marks the ids trained; only training adds, one step at a time. */
    synchronized void addAll(long[] wordIds) {
        BitSet next = (BitSet) ids.clone();
        for (long id : wordIds) {
            next.set((int) id);
        }
        if (!next.equals(ids)) {
            ids = next;
        }
    }
}
