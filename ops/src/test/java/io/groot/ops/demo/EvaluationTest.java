package io.groot.ops.demo;

import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.Vocabulary;
import io.groot.trainer.reward.RewardFunction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluationTest {
    private static final List<LabelledSentence> SENTENCES = List.of(
            new LabelledSentence(List.of("flights", "to", "boston"), List.of("O", "O", "B-city"), null),
            new LabelledSentence(List.of("show", "me", "flights"), List.of("O", "O", "O"), null));

    /**
     * A labeler that tags nothing scores 1 under F-beta on the sentence without entities, so its sentence mean is
     * half; at corpus level it found none of the one entity, and its span F1 is 0.
     */
    @Test
    void spanF1IsCountedOverTheCorpusNotAveragedOverSentences() {
        try (Labeler labeler = Labeler.create(new LabelerConfig(8, 4, 32, 8, 4, 8, 16, 0f),
                Vocabulary.build(SENTENCES.stream().map(LabelledSentence::tokens).toList(),
                        List.of("O", "B-city", "I-city")), 1)) {
            labeler.setOutsideBias(-1000f);
            Map<String, Double> scores = Evaluation.atRankOne(labeler, SENTENCES, List.of(RewardFunction.parse("f0.5")),
                    4);
            assertEquals(0.5, scores.get("f0.5@1"), 1e-9);
            assertEquals(0.0, scores.get(Evaluation.SPAN_F1_AT_ONE), 1e-9);
        }
    }
}
