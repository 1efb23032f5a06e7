package io.groot.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.groot.trainer.model.context.ContextFeatures;

import java.util.List;
import java.util.Locale;

/**
 * Turns token rows into the encoder's inputs, in this order: word ids (lower-cased lookup), hashed 3-char prefix
 * and suffix ids (lower-cased), then as the architecture has them: {@link WordShape} ids [rows, length], character
 * ids [rows, length, {@link #CHARS_PER_WORD}] (cased), and the pretrained encoder's word vectors
 * [rows, length, dimension]. Padding is id 0 and zero vectors. A row's features never depend on the other rows.
 */
public final class TokenFeatures {
    /** Characters the CNN reads per word, fixed so a word's vector does not depend on its batch-mates' lengths. */
    public static final int CHARS_PER_WORD = 20;
    /** Character ids: 0 pads, printable ASCII has its own id, anything else shares hashed buckets. */
    public static final int CHAR_IDS = 160;
    private static final int ASCII_FROM = 32;
    private static final int ASCII_TO = 126;
    private static final int FIRST_HASHED = ASCII_TO - ASCII_FROM + 2;
    /** A long word keeps its first and its last characters, where stems and suffixes are. */
    private static final int KEPT_FROM_END = 8;

    private final Vocabulary vocabulary;
    private final TrainedWords trainedWords;
    private final LabelerConfig config;
    private final ContextFeatures context;

    /** Features that read every word the vocabulary lists by its own id (as if all of them were trained). */
    public TokenFeatures(Vocabulary vocabulary, LabelerConfig config, ContextFeatures context) {
        this(vocabulary, TrainedWords.all(vocabulary.tokenCount()), config, context);
    }

    /** @param trainedWords the words read by their own id; any other reads as unknown ({@link TrainedWords}) */
    public TokenFeatures(Vocabulary vocabulary, TrainedWords trainedWords, LabelerConfig config,
                         ContextFeatures context) {
        if (config.hasContextEncoder() != (context != null)) {
            throw new IllegalArgumentException("the architecture and the context encoder given disagree");
        }
        this.vocabulary = vocabulary;
        this.trainedWords = trainedWords;
        this.config = config;
        this.context = context;
    }

    /** How many arrays {@link #encode} returns for this architecture. */
    public int inputCount() {
        return 3 + (config.shapeDim() > 0 ? 1 : 0) + (config.charDim() > 0 ? 1 : 0) + (context != null ? 1 : 0);
    }

    /**
     * Runs the pretrained encoder over all of {@code sentences} at once, before they are split into groups of equal
     * length: its batches are formed across the groups, and {@link #encode} then reads the vectors from the cache.
     */
    public void prepare(List<? extends List<String>> sentences) {
        if (context != null) {
            context.of(sentences);
        }
    }

    /**
     * The arrays for {@code rows} padded to {@code length}, in the order the class comment gives; a word the labeler
     * has not been trained on reads as unknown.
     */
    public NDList encode(NDManager manager, List<? extends List<String>> rows, int length) {
        return encode(manager, rows, length, false);
    }

    /** The arrays a training step reads: every listed word by its own id, which from now on counts as trained. */
    public NDList encodeForTraining(NDManager manager, List<? extends List<String>> rows, int length) {
        return encode(manager, rows, length, true);
    }

    private NDList encode(NDManager manager, List<? extends List<String>> rows, int length, boolean training) {
        long[] words = new long[rows.size() * length];
        long[] prefixes = new long[words.length];
        long[] suffixes = new long[words.length];
        long[] shapes = config.shapeDim() > 0 ? new long[words.length] : null;
        long[] chars = config.charDim() > 0 ? new long[words.length * CHARS_PER_WORD] : null;
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int t = 0; t < row.size(); t++) {
                String cased = row.get(t);
                String token = cased.toLowerCase(Locale.ROOT);
                int at = r * length + t;
                int id = vocabulary.tokenId(token);
                words[at] = training || trainedWords.contains(id) ? id : Vocabulary.UNKNOWN_ID;
                prefixes[at] = bucket("<" + token.substring(0, Math.min(3, token.length())));
                suffixes[at] = bucket(token.substring(Math.max(0, token.length() - 3)) + ">");
                if (shapes != null) {
                    shapes[at] = WordShape.of(cased).id();
                }
                if (chars != null) {
                    characterIds(cased, chars, at * CHARS_PER_WORD);
                }
            }
        }
        if (training) {
            trainedWords.addAll(words);
        }
        Shape shape = new Shape(rows.size(), length);
        NDList out = new NDList(manager.create(words, shape), manager.create(prefixes, shape),
                manager.create(suffixes, shape));
        if (shapes != null) {
            out.add(manager.create(shapes, shape));
        }
        if (chars != null) {
            out.add(manager.create(chars, new Shape(rows.size(), length, CHARS_PER_WORD)));
        }
        if (context != null) {
            out.add(contextVectors(manager, rows, length));
        }
        return out;
    }

    private NDArray contextVectors(NDManager manager, List<? extends List<String>> rows, int length) {
        int dimension = context.dimension();
        float[] vectors = new float[rows.size() * length * dimension];
        List<float[]> encoded = context.of(rows);
        for (int r = 0; r < rows.size(); r++) {
            float[] row = encoded.get(r);
            System.arraycopy(row, 0, vectors, r * length * dimension, row.length);
        }
        return manager.create(vectors, new Shape(rows.size(), length, dimension));
    }

    /** The word's character ids into {@code out} from {@code at}, the rest of its {@link #CHARS_PER_WORD} 0. */
    static void characterIds(String word, long[] out, int at) {
        int[] points = word.codePoints().toArray();
        int n = Math.min(points.length, CHARS_PER_WORD);
        for (int i = 0; i < n; i++) {
            int source = points.length <= CHARS_PER_WORD || i < CHARS_PER_WORD - KEPT_FROM_END ? i
                    : points.length - (CHARS_PER_WORD - i);
            out[at + i] = characterId(points[source]);
        }
    }

    static int characterId(int codePoint) {
        if (codePoint >= ASCII_FROM && codePoint <= ASCII_TO) {
            return codePoint - ASCII_FROM + 1;
        }
        return FIRST_HASHED + Math.floorMod(codePoint, CHAR_IDS - FIRST_HASHED);
    }

    private long bucket(String affix) {
        return 1 + Math.floorMod(affix.hashCode(), config.affixBuckets() - 1);
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
