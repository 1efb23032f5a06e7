package io.groot.ops.demo;

import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ScoredSequence;
import io.groot.trainer.reward.RewardFunction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rewards of a labeler's top-1 on labelled sentences (labels the model lacks simply count as misses). */
public final class Evaluation {
    private Evaluation() {
    }

    public static Map<String, Double> atRankOne(Labeler labeler, List<LabelledSentence> sentences,
                                                List<RewardFunction> rewards) {
        List<List<ScoredSequence>> predictions = labeler.topK(sentences.stream().map(LabelledSentence::tokens).toList(),
                1);
        Map<String, Double> means = new LinkedHashMap<>();
        for (RewardFunction reward : rewards) {
            double sum = 0;
            for (int i = 0; i < sentences.size(); i++) {
                sum += reward.reward(predictions.get(i).get(0).labels(), sentences.get(i).labels());
            }
            means.put(reward.name() + "@1", sentences.isEmpty() ? Double.NaN : sum / sentences.size());
        }
        return means;
    }
}
