package io.groot.trainer.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BeamSearchTest {

    /**
     * When the next label's distribution depends only on the position, beam search with beam k is exact: its k
     * results are the k best of all label sequences, which the test enumerates.
     */
    @Test
    void historyFreeDecoderGivesTheExactTopK() {
        Random random = new Random(11);
        int length = 4;
        int labels = 5;
        int sentences = 3;
        float[][][] table = new float[sentences][length][labels];
        for (float[][] sentence : table) {
            for (float[] position : sentence) {
                for (int l = 0; l < labels; l++) {
                    position[l] = (float) -random.nextDouble() * 4;
                }
            }
        }
        BeamSearch.Decoder decoder = (position, owners, parents, last) -> {
            float[] out = new float[owners.length * labels];
            for (int i = 0; i < owners.length; i++) {
                System.arraycopy(table[owners[i]][position], 0, out, i * labels, labels);
            }
            return out;
        };
        for (int k : new int[]{1, 3, 7}) {
            List<List<BeamSearch.Scored>> found = BeamSearch.search(sentences, length, labels, k, -1, decoder);
            for (int s = 0; s < sentences; s++) {
                List<BeamSearch.Scored> exact = enumerate(table[s], labels).subList(0, k);
                assertEquals(k, found.get(s).size());
                for (int i = 0; i < k; i++) {
                    assertArrayEquals(exact.get(i).labels(), found.get(s).get(i).labels(), "k=" + k + " rank " + i);
                    assertEquals(exact.get(i).score(), found.get(s).get(i).score(), 1e-9);
                }
            }
        }
    }

    @Test
    void tiesGoToTheEarlierBeamAndTheLowerLabel() {
        BeamSearch.Decoder flat = (position, owners, parents, last) -> new float[owners.length * 6];
        List<BeamSearch.Scored> found = BeamSearch.search(1, 3, 6, 4, -1, flat).get(0);
        assertArrayEquals(new int[]{0, 0, 0}, found.get(0).labels());
        assertArrayEquals(new int[]{0, 0, 1}, found.get(1).labels());
        assertArrayEquals(new int[]{0, 0, 2}, found.get(2).labels());
        assertArrayEquals(new int[]{0, 0, 3}, found.get(3).labels());
    }

    private static List<BeamSearch.Scored> enumerate(float[][] table, int labels) {
        List<BeamSearch.Scored> all = new ArrayList<>();
        int length = table.length;
        int count = (int) Math.pow(labels, length);
        for (int code = 0; code < count; code++) {
            int[] sequence = new int[length];
            double score = 0;
            for (int t = length - 1, c = code; t >= 0; t--, c /= labels) {
                sequence[t] = c % labels;
            }
            for (int t = 0; t < length; t++) {
                score += table[t][sequence[t]];
            }
            all.add(new BeamSearch.Scored(sequence, score));
        }
        all.sort(Comparator.comparingDouble(BeamSearch.Scored::score).reversed());
        return all;
    }
}
