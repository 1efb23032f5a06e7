package io.groot.trainer.model.context;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real all-MiniLM-L6-v2 (fp32) from its Maven Central jar, through ONNX Runtime. */
class OnnxWordEncoderTest {
    private static final OnnxWordEncoder ENCODER =
            (OnnxWordEncoder) ContextEncoders.named(ContextEncoders.MINILM).encoder();
    private static final int D = ENCODER.dimension();

    @Test
    void aWordOfSeveralPiecesGetsTheMeanOfItsPieces() {
        // "flightaware" is several word pieces; read alone between [CLS] and [SEP], the pooled vector must be the
        // mean of the hidden states of those pieces, which the pieces' own sentence ("flight ##aw ##are" as given by
        // the tokenizer, one word each) cannot reproduce, so compare against the model run on the same ids by hand.
        long[] pieces = ENCODER.pieces("flightaware");
        assertTrue(pieces.length > 1, "expected several pieces, got " + pieces.length);
        float[] pooled = ENCODER.encode(List.of(List.of("flightaware"))).get(0);
        float[][] states = ENCODER.hiddenStates(pieces);
        float[] mean = new float[D];
        for (float[] state : states) {
            for (int d = 0; d < D; d++) {
                mean[d] += state[d] / states.length;
            }
        }
        assertArrayEquals(mean, pooled, 1e-5f);
    }

    @Test
    void emojiZeroWidthAndNulReadAsUnknown() {
        long unknown = ENCODER.pieces("[UNK]")[0];
        for (String word : List.of("\u200b", "\u0000", "\uD83D\uDE00")) {
            long[] pieces = ENCODER.pieces(word);
            assertEquals(1, pieces.length, word.codePointAt(0) + " should be one piece");
            assertEquals(unknown, pieces[0]);
        }
        List<String> sentence = List.of("hello", "\u200b", "\uD83D\uDE00", "world");
        float[] vectors = ENCODER.encode(List.of(sentence)).get(0);
        assertEquals(sentence.size() * D, vectors.length);
        for (int w = 0; w < sentence.size(); w++) {
            assertTrue(norm(vectors, w) > 0.1, "word " + w + " got no vector");
        }
    }

    @Test
    void wordsAreReadInTheirContext() {
        float[] river = ENCODER.encode(List.of(List.of("the", "river", "bank"))).get(0);
        float[] money = ENCODER.encode(List.of(List.of("the", "savings", "bank"))).get(0);
        double cosine = cosine(river, 2, money, 2);
        assertTrue(cosine < 0.999, "'bank' read the same in both sentences: " + cosine);
    }

    @Test
    void aSentenceGetsTheSameVectorsWhateverItsBatchMates() {
        assertSameVectorsAloneAndInABatch(ENCODER);
    }

    /** Replay must reproduce a version's candidates: int8 activations scaled over a batch would not. */
    @Test
    void aQuantizedEncoderGivesASentenceTheSameVectorsWhateverItsBatchMates() {
        for (String name : List.of(ContextEncoders.MINILM_QUANTIZED, ContextEncoders.MINILM_QUANTIZED_LAYERS)) {
            assertSameVectorsAloneAndInABatch(ContextEncoders.named(name).encoder());
        }
    }

    private static void assertSameVectorsAloneAndInABatch(WordContextEncoder encoder) {
        List<String> tweet = List.of("@", "flightaware", "Apple", "opens", "in", "London", "#tech");
        float[] alone = encoder.encode(List.of(tweet)).get(0);
        List<List<String>> batch = new ArrayList<>();
        batch.add(List.of("a", "much", "longer", "sentence", "that", "pads", "every", "other", "row", "of", "it"));
        batch.add(tweet);
        batch.add(List.of("short"));
        batch.add(List.of("RT", "@", "SportsCenter", ":", "76ers", "to", "retire", "Allen", "Iverson"));
        float[] withOthers = encoder.encode(batch).get(1);
        assertArrayEquals(alone, withOthers, 1e-5f, encoder.name());
    }

    @Test
    void aSentenceLongerThanTheModelTakesIsReadInWindows() {
        List<String> words = new ArrayList<>(Collections.nCopies(700, "word"));
        words.add("end");
        float[] vectors = ENCODER.encode(List.of(words)).get(0);
        assertEquals(words.size() * D, vectors.length);
        assertTrue(norm(vectors, words.size() - 1) > 0.1);
    }

    private static double norm(float[] vectors, int word) {
        double sum = 0;
        for (int d = 0; d < D; d++) {
            sum += vectors[word * D + d] * vectors[word * D + d];
        }
        return Math.sqrt(sum);
    }

    private static double cosine(float[] a, int wa, float[] b, int wb) {
        double dot = 0;
        for (int d = 0; d < D; d++) {
            dot += a[wa * D + d] * b[wb * D + d];
        }
        return dot / (norm(a, wa) * norm(b, wb));
    }
}
