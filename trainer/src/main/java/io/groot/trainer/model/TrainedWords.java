package io.groot.trainer.model;

import java.util.BitSet;

/**
 * The word ids whose embeddings a labeler has been trained on. A vocabulary also holds words of text nobody has
 * labelled yet (the stream's texts, a benchmark's valid split), and their embedding rows keep their random start
 * until a training step sees them. Such a word reads as unknown, whose embedding word dropout trains, until then.
 * Otherwise a word the labeler never trained on would read differently depending on whether the vocabulary happened
 * to list it: on BTC, 17% of the valid tokens (46% of its entity tokens) read as untrained random rows while test's
 * unseen words read as unknown, so the valid split judged models under other conditions than test.
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

    /** Marks the ids trained; only the trainer adds, one step at a time. */
    synchronized void addAll(long[] wordIds) {
        BitSet next = null;
        for (long id : wordIds) {
            if (!ids.get((int) id) && (next == null || !next.get((int) id))) {
                if (next == null) {
                    next = (BitSet) ids.clone();
                }
                next.set((int) id);
            }
        }
        if (next != null) {
            ids = next;
        }
    }
}
