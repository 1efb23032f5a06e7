package io.groot.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched top-k beam search over an autoregressive decoder. The decoder is stepped once per position for all live
 * beams of all sentences; selection happens here. A beam's score is the sum of the log-probabilities of its labels,
 * the same quantity teacher forcing computes.
 */
final class BeamSearch {

    /** The decoder, one position at a time. */
    interface Decoder {
        /**
         * Log-probabilities of the next label for every beam, flattened [beams * labels]. Beam i continues beam
         * {@code parents[i]} of the previous call (at position 0: sentence i's empty beam), belongs to sentence
         * {@code sentences[i]}, and emitted {@code lastLabels[i]} last (the start id at position 0).
         */
        float[] next(int position, int[] sentences, int[] parents, int[] lastLabels);
    }

    /** A finished sequence of label ids with its score. */
    record Scored(int[] labels, double score) {
    }

    private BeamSearch() {
    }

    /** Up to k best sequences per sentence, best first; ties go to the earlier beam and lower label id. */
    static List<List<Scored>> search(int sentenceCount, int length, int labels, int k, int startId, Decoder decoder) {
        int[] sentences = new int[sentenceCount];
        int[] parents = new int[sentenceCount];
        int[] last = new int[sentenceCount];
        int[][] prefixes = new int[sentenceCount][0];
        double[] scores = new double[sentenceCount];
        for (int s = 0; s < sentenceCount; s++) {
            sentences[s] = s;
            parents[s] = s;
            last[s] = startId;
        }
        for (int t = 0; t < length; t++) {
            float[] logProbs = decoder.next(t, sentences, parents, last);
            List<int[]> chosen = new ArrayList<>();  // {beam, label}
            List<Double> chosenScores = new ArrayList<>();
            int from = 0;
            while (from < sentences.length) {
                int to = from;
                while (to < sentences.length && sentences[to] == sentences[from]) {
                    to++;
                }
                selectTop(from, to, labels, k, scores, logProbs, chosen, chosenScores);
                from = to;
            }
            int n = chosen.size();
            int[] nextSentences = new int[n];
            int[] nextParents = new int[n];
            int[] nextLast = new int[n];
            int[][] nextPrefixes = new int[n][];
            double[] nextScores = new double[n];
            for (int i = 0; i < n; i++) {
                int beam = chosen.get(i)[0];
                int label = chosen.get(i)[1];
                nextSentences[i] = sentences[beam];
                nextParents[i] = beam;
                nextLast[i] = label;
                nextPrefixes[i] = Arrays.copyOf(prefixes[beam], t + 1);
                nextPrefixes[i][t] = label;
                nextScores[i] = chosenScores.get(i);
            }
            sentences = nextSentences;
            parents = nextParents;
            last = nextLast;
            prefixes = nextPrefixes;
            scores = nextScores;
        }
        List<List<Scored>> results = new ArrayList<>(sentenceCount);
        for (int s = 0; s < sentenceCount; s++) {
            results.add(new ArrayList<>());
        }
        for (int i = 0; i < sentences.length; i++) {
            results.get(sentences[i]).add(new Scored(prefixes[i], scores[i]));
        }
        return results;
    }

    /**
     * The k best (beam, label) extensions of beams [from, to) of one sentence, best first; on equal scores the
     * earlier extension (lower beam, then lower label) wins. One pass keeping the k best by insertion: the pool is
     * beams x labels and k is small, so sorting the whole pool cost more than the decoder step.
     */
    private static void selectTop(int from, int to, int labels, int k, double[] scores, float[] logProbs,
                                  List<int[]> chosen, List<Double> chosenScores) {
        int pool = (to - from) * labels;
        int limit = Math.min(k, pool);
        int[] best = new int[limit];
        double[] bestScores = new double[limit];
        int size = 0;
        for (int i = 0; i < pool; i++) {
            int beam = from + i / labels;
            double extended = scores[beam] + logProbs[beam * labels + i % labels];
            if (size == limit && !(extended > bestScores[size - 1])) {
                continue;
            }
            int at = size < limit ? size++ : limit - 1;
            while (at > 0 && extended > bestScores[at - 1]) {
                best[at] = best[at - 1];
                bestScores[at] = bestScores[at - 1];
                at--;
            }
            best[at] = i;
            bestScores[at] = extended;
        }
        for (int i = 0; i < size; i++) {
            chosen.add(new int[]{from + best[i] / labels, best[i] % labels});
            chosenScores.add(bestScores[i]);
        }
    }
}
