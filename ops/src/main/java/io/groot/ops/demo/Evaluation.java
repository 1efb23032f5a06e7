package io.groot.ops.demo;

import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.reward.SpanCounts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a labeler serves on labelled sentences: rank 1 of a beam as wide as the serving one (greedy decoding can
 * differ from a beam's best), scored by the sentence-mean rewards and by corpus span F1 as conlleval counts it.
 * Labels the model lacks simply count as misses.
 */
public final class Evaluation {
    /** The key of corpus-level span F1 at rank 1 in {@link #atRankOne}'s result. */
    public static final String SPAN_F1_AT_ONE = "spanF1@1";

    private Evaluation() {
    }

    /** Each reward's mean over the sentences ({@code name@1}), then {@value #SPAN_F1_AT_ONE}; NaN for no sentences. */
    public static Map<String, Double> atRankOne(Labeler labeler, List<LabelledSentence> sentences,
                                                List<RewardFunction> rewards, int beamWidth) {
        List<List<ScoredSequence>> predictions = labeler.topK(sentences.stream().map(LabelledSentence::tokens).toList(),
                beamWidth);
        Map<String, Double> means = new LinkedHashMap<>();
        for (RewardFunction reward : rewards) {
            double sum = 0;
            for (int i = 0; i < sentences.size(); i++) {
                sum += reward.reward(predictions.get(i).get(0).labels(), sentences.get(i).labels());
            }
            means.put(reward.name() + "@1", sentences.isEmpty() ? Double.NaN : sum / sentences.size());
        }
        SpanCounts spans = new SpanCounts();
        for (int i = 0; i < sentences.size(); i++) {
            spans.add(predictions.get(i).get(0).labels(), sentences.get(i).labels());
        }
        means.put(SPAN_F1_AT_ONE, sentences.isEmpty() ? Double.NaN : spans.f1());
        return means;
    }
}
