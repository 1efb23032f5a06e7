package io.groot.trainer.model.context;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ContextFeaturesTest {
    /** Gives word w of a sentence the vector [length, w]; records every sentence it is asked to encode. */
    private static final class CountingEncoder implements WordContextEncoder {
        final List<List<String>> encoded = new ArrayList<>();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public String sha256() {
            return "";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> encode(List<? extends List<String>> sentences) {
            List<float[]> out = new ArrayList<>();
            for (List<String> sentence : sentences) {
                encoded.add(List.copyOf(sentence));
                float[] vectors = new float[sentence.size() * 2];
                for (int w = 0; w < sentence.size(); w++) {
                    vectors[2 * w] = sentence.size();
                    vectors[2 * w + 1] = w;
                }
                out.add(vectors);
            }
            return out;
        }
    }

    @Test
    void aSentenceIsEncodedOnceWhileCachedAndAgainAfterEviction() {
        CountingEncoder encoder = new CountingEncoder();
        // Room for 8 floats: two 2-word sentences.
        ContextFeatures features = new ContextFeatures(encoder, 8);
        List<String> a = List.of("a", "b");
        List<String> b = List.of("c", "d");
        List<String> c = List.of("e", "f");
        List<float[]> first = features.of(List.of(a, b));
        assertArrayEquals(new float[]{2, 0, 2, 1}, first.get(0));
        features.of(List.of(b, a));
        assertEquals(List.of(a, b), encoder.encoded, "cached sentences were encoded again");
        features.of(List.of(c));  // evicts b, the least recently used (a was read after it)
        features.of(List.of(a));
        features.of(List.of(b));
        assertEquals(List.of(a, b, c, b), encoder.encoded);
    }
}
