package io.groot.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;
import java.util.Locale;

/** Turns token rows into the encoder's inputs: word ids, hashed 3-char prefix ids, hashed 3-char suffix ids. */
public final class TokenFeatures {
    private final Vocabulary vocabulary;
    private final int affixBuckets;

    public TokenFeatures(Vocabulary vocabulary, int affixBuckets) {
        this.vocabulary = vocabulary;
        this.affixBuckets = affixBuckets;
    }

    /** Three [rows, length] int64 arrays; rows shorter than {@code length} are padded with id 0. */
    public NDList encode(NDManager manager, List<? extends List<String>> rows, int length) {
        long[] words = new long[rows.size() * length];
        long[] prefixes = new long[words.length];
        long[] suffixes = new long[words.length];
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int t = 0; t < row.size(); t++) {
                String token = row.get(t).toLowerCase(Locale.ROOT);
                int at = r * length + t;
                words[at] = vocabulary.tokenId(token);
                prefixes[at] = bucket("<" + token.substring(0, Math.min(3, token.length())));
                suffixes[at] = bucket(token.substring(Math.max(0, token.length() - 3)) + ">");
            }
        }
        Shape shape = new Shape(rows.size(), length);
        return new NDList(manager.create(words, shape), manager.create(prefixes, shape),
                manager.create(suffixes, shape));
    }

    private long bucket(String affix) {
        return 1 + Math.floorMod(affix.hashCode(), affixBuckets - 1);
    }

    /** Previous-label inputs for teacher forcing: the start id, then each label but the last. */
    public static NDArray previousLabels(NDManager manager, List<int[]> labelRows, int length, int startId) {
        long[] previous = new long[labelRows.size() * length];
        for (int r = 0; r < labelRows.size(); r++) {
            int[] labels = labelRows.get(r);
            previous[r * length] = startId;
            for (int t = 1; t < length; t++) {
                previous[r * length + t] = t - 1 < labels.length ? labels[t - 1] : startId;
            }
        }
        return manager.create(previous, new Shape(labelRows.size(), length));
    }
}
