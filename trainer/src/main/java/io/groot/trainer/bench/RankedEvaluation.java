package io.groot.trainer.bench;

import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.reward.SpanCounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How good a labeler's whole top-k is: the mean reward of the candidate at each rank 1..k (a missing rank counts
 * 0), best-of-k, mean-of-k, and the corpus-level span precision, recall and F1 of rank 1 (conlleval's numbers),
 * overall and per span type, and over the top-k: the corpus span F1 when each sentence keeps its candidate of highest
 * reward (what a reranker or a user picking from the k could reach). The rank-1 reward and mean-of-k of each sentence are kept too, in input order, so that two labelers can be
 * compared sentence by sentence ({@link PairedDifference}).
 */
public record RankedEvaluation(String reward, double[] rewardAtRank, double bestOfK, double meanOfK,
                               double spanF1AtOne, double spanPrecisionAtOne, double spanRecallAtOne,
                               double spanF1BestOfK, Map<String, SpanCounts.Tally> spansByTypeAtOne, int sentences,
                               double[] rewardAtOneBySentence, double[] meanOfKBySentence) {

    public static RankedEvaluation of(Labeler labeler, List<LabelledSentence> sentences, int k, RewardFunction reward,
                                      int batchSize) {
        double[] atRank = new double[k];
        double[] atOneBySentence = new double[sentences.size()];
        double[] meanOfKBySentence = new double[sentences.size()];
        double best = 0;
        SpanCounts spans = new SpanCounts();
        SpanCounts bestSpans = new SpanCounts();
        for (int from = 0; from < sentences.size(); from += batchSize) {
            List<LabelledSentence> batch = sentences.subList(from, Math.min(sentences.size(), from + batchSize));
            List<List<ScoredSequence>> topK = labeler.topK(batch.stream().map(LabelledSentence::tokens).toList(), k);
            for (int i = 0; i < batch.size(); i++) {
                List<String> reference = batch.get(i).labels();
                List<ScoredSequence> candidates = topK.get(i);
                double bestHere = 0;
                double sumHere = 0;
                List<String> bestCandidate = candidates.get(0).labels();
                for (ScoredSequence candidate : candidates) {
                    double r = reward.reward(candidate.labels(), reference);
                    atRank[candidate.rank() - 1] += r;
                    if (r > bestHere) {
                        bestHere = r;
                        bestCandidate = candidate.labels();
                    }
                    sumHere += r;
                    if (candidate.rank() == 1) {
                        atOneBySentence[from + i] = r;
                    }
                }
                best += bestHere;
                meanOfKBySentence[from + i] = sumHere / k;
                spans.add(candidates.get(0).labels(), reference);
                bestSpans.add(bestCandidate, reference);
            }
        }
        int n = sentences.size();
        double sum = 0;
        for (int r = 0; r < k; r++) {
            atRank[r] /= n;
            sum += atRank[r];
        }
        return new RankedEvaluation(reward.name(), atRank, best / n, sum / k, spans.f1(), spans.precision(),
                spans.recall(), bestSpans.f1(), Map.copyOf(spans.byType()), n, atOneBySentence, meanOfKBySentence);
    }

    /** The per-sentence metrics by name ({@code rewardAtOne}, {@code meanOfK}), as reports and comparisons key them. */
    public Map<String, double[]> bySentence() {
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("rewardAtOne", rewardAtOneBySentence);
        out.put("meanOfK", meanOfKBySentence);
        return out;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Double> ranks = new ArrayList<>();
        for (double r : rewardAtRank) {
            ranks.add(r);
        }
        out.put("reward", reward);
        out.put("rewardAtRank", ranks);
        out.put("bestOfK", bestOfK);
        out.put("meanOfK", meanOfK);
        out.put("spanF1AtOne", spanF1AtOne);
        out.put("spanPrecisionAtOne", spanPrecisionAtOne);
        out.put("spanRecallAtOne", spanRecallAtOne);
        out.put("spanF1BestOfK", spanF1BestOfK);
        Map<String, Object> byType = new TreeMap<>();
        spansByTypeAtOne.forEach((type, tally) -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("f1", tally.f1());
            figures.put("precision", tally.precision());
            figures.put("recall", tally.recall());
            figures.put("gold", tally.gold());
            figures.put("predicted", tally.predicted());
            byType.put(type, figures);
        });
        out.put("spanF1ByTypeAtOne", byType);
        out.put("sentences", sentences);
        return out;
    }
}
