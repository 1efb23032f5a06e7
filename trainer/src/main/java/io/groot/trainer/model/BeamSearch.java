package io.groot.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Top-k beam search over a first-order autoregressive decoder's step distributions. Scores are sums of the
 * same log-probabilities teacher forcing computes, so a candidate's score equals log p(y | x) exactly.
 */
final class BeamSearch {
    private BeamSearch() {
    }

    /**
     * @param steps  log p(label | position, previous) laid out [length][previous (labels + start)][labels]
     * @param start  the previous-label id of the first step
     * @return up to k sequences of label ids, best first, with their scores in {@code scoresOut}
     */
    static List<int[]> search(float[][][] steps, int start, int k, List<Double> scoresOut) {
        int length = steps.length;
        int[][] beams = {new int[0]};
        double[] beamScores = {0.0};
        for (int t = 0; t < length; t++) {
            int labels = steps[t][0].length;
            int pool = beams.length * labels;
            double[] scores = new double[pool];
            for (int b = 0; b < beams.length; b++) {
                float[] dist = steps[t][t == 0 ? start : beams[b][t - 1]];
                for (int y = 0; y < labels; y++) {
                    scores[b * labels + y] = beamScores[b] + dist[y];
                }
            }
            int[] best = topIndices(scores, Math.min(k, pool));
            int[][] next = new int[best.length][];
            double[] nextScores = new double[best.length];
            for (int i = 0; i < best.length; i++) {
                int[] parent = beams[best[i] / labels];
                next[i] = Arrays.copyOf(parent, t + 1);
                next[i][t] = best[i] % labels;
                nextScores[i] = scores[best[i]];
            }
            beams = next;
            beamScores = nextScores;
        }
        for (double score : beamScores) {
            scoresOut.add(score);
        }
        return Arrays.asList(beams);
    }

    /** Indices of the n highest scores, highest first; ties go to the lower index (deterministic). */
    private static int[] topIndices(double[] scores, int n) {
        List<Integer> order = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = order.get(i);
        }
        return top;
    }
}
