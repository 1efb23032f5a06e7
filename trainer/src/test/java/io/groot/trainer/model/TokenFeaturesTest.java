package io.groot.trainer.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.groot.trainer.model.context.ContextEncoders;
import io.groot.trainer.model.context.ContextFeatures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TokenFeaturesTest {
    private static final List<List<String>> RAGGED = List.of(
            List.of("Apple", "opens", "in", "London"),
            List.of("apple"),
            List.of("@", "flightaware", "#NBA", "http://t.co/x", "2016", "iPhone", "USA"));
    private static final LabelerConfig WITH_ENCODER = LabelerConfig.defaults()
            .withContextEncoder(ContextEncoders.MINILM, "");

    @Test
    void caseAndShapeTellApartWhatTheWordIdCannot() {
        Vocabulary vocabulary = Vocabulary.build(RAGGED, List.of("O"));
        assertEquals(vocabulary.tokenId("Apple"), vocabulary.tokenId("apple"));
        assertEquals(WordShape.CAPITALIZED, WordShape.of("Apple"));
        assertEquals(WordShape.LOWER, WordShape.of("apple"));
        assertEquals(WordShape.ALL_CAPS, WordShape.of("USA"));
        assertEquals(WordShape.MIXED_CASE, WordShape.of("iPhone"));
        assertEquals(WordShape.MENTION, WordShape.of("@"));
        assertEquals(WordShape.HASHTAG, WordShape.of("#NBA"));
        assertEquals(WordShape.URL, WordShape.of("http://t.co/x"));
        assertEquals(WordShape.DIGITS, WordShape.of("2016"));
        assertEquals(WordShape.SINGLE_CAPITAL, WordShape.of("I"));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList arrays = new TokenFeatures(vocabulary, LabelerConfig.defaults(), null).encode(manager,
                    List.of(List.of("Apple"), List.of("apple")), 1);
            long[] shapes = arrays.get(3).toLongArray();
            assertNotEquals(shapes[0], shapes[1]);
            long[] chars = arrays.get(4).toLongArray();
            assertNotEquals(chars[0], chars[TokenFeatures.CHARS_PER_WORD], "'A' and 'a' share a character id");
        }
    }

    @Test
    void raggedSentencesGetPaddedArraysOfTheArchitecturesShapes() {
        Vocabulary vocabulary = Vocabulary.build(RAGGED, List.of("O"));
        ContextFeatures context = ContextEncoders.named(ContextEncoders.MINILM);
        TokenFeatures features = new TokenFeatures(vocabulary, WITH_ENCODER, context);
        int length = 7;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList arrays = features.encode(manager, RAGGED, length);
            assertEquals(features.inputCount(), arrays.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(new Shape(3, length), arrays.get(i).getShape());
            }
            assertEquals(new Shape(3, length, TokenFeatures.CHARS_PER_WORD), arrays.get(4).getShape());
            assertEquals(new Shape(3, length, context.dimension()), arrays.get(5).getShape());
            // Past a sentence's end: id 0 everywhere, zero vectors.
            long[] words = arrays.get(0).toLongArray();
            long[] shapes = arrays.get(3).toLongArray();
            for (int t = 1; t < length; t++) {
                assertEquals(0, words[length + t]);
                assertEquals(0, shapes[length + t]);
            }
            float[] vectors = arrays.get(5).toFloatArray();
            int d = context.dimension();
            for (int t = 1; t < length; t++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(0f, vectors[(length + t) * d + j]);
                }
            }
            // A sentence's arrays are the same alone as in the ragged batch.
            NDList alone = features.encode(manager, List.of(RAGGED.get(0)), 4);
            float[] aloneVectors = alone.get(5).toFloatArray();
            float[] inBatch = new float[4 * d];
            System.arraycopy(vectors, 0, inBatch, 0, inBatch.length);
            assertArrayEquals(aloneVectors, inBatch, 1e-5f);
        }
    }

    @Test
    void aLongWordKeepsItsFirstAndLastCharacters() {
        String word = "abcdefghijklmnopqrstuvwxyz";
        long[] ids = new long[TokenFeatures.CHARS_PER_WORD];
        TokenFeatures.characterIds(word, ids, 0);
        assertEquals(TokenFeatures.characterId('a'), ids[0]);
        assertEquals(TokenFeatures.characterId('z'), ids[ids.length - 1]);
        assertEquals(TokenFeatures.characterId('s'), ids[12]);
        long[] shortWord = new long[TokenFeatures.CHARS_PER_WORD];
        TokenFeatures.characterIds("ab", shortWord, 0);
        assertEquals(0, shortWord[2]);
    }
}
