package io.groot.trainer;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.groot.schemas.ContrastSet;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.Vocabulary;

import java.util.ArrayList;
import java.util.List;

/** A labeler small enough to train in milliseconds, two reference sets for it, and a copy of its weights. */
final class TinyLabeler {
    private static final LabelerConfig SMALL = new LabelerConfig(8, 4, 16, 4, 4, 4, 8, 4, 8, 8, 0f, 0f,
            LabelerConfig.NO_CONTEXT_ENCODER, "");
    private static final List<List<String>> SENTENCES = List.of(
            List.of("Apple", "opens", "in", "London"), List.of("@", "nasa", "launches"));
    static final List<ContrastSet> SETS = List.of(
            GrootTraining.referenceOnly("a", SENTENCES.get(0), List.of("B-ORG", "O", "O", "B-LOC")),
            GrootTraining.referenceOnly("b", SENTENCES.get(1), List.of("B-ORG", "B-ORG", "O")));

    private TinyLabeler() {
    }

    static Labeler create() {
        return Labeler.create(SMALL, Vocabulary.build(SENTENCES, List.of("B-LOC", "B-ORG", "O")), 5);
    }

    /** Each parameter's values, in the block's order. */
    static List<float[]> weights(Labeler labeler) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : labeler.block().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }
}
