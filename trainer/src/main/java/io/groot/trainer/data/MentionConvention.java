package io.groot.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One annotation convention for user mentions in training text split as {@code @ name}: the marker carries the
 * name's tag ({@code @ flightaware} is {@code B-ORG B-ORG}). BTC's train split mixes that convention with one that
 * tags the marker O (406 of 1,821 mentions), while its valid and test splits follow the first; a model trained on
 * both learns two answers for a lone {@code @}, which is a third of the entities it is judged on (docs/QUALITY.md).
 * Only training text is rewritten: what a model is judged on stays as published.
 */
public final class MentionConvention {
    /** The token that opens a user mention. */
    public static final String MARKER = "@";

    private MentionConvention() {
    }

    /** The sentences rewritten, and how many markers got their name's tag. */
    public record Harmonized(List<LabelledSentence> sentences, int markersRetagged) {
    }

    /** Each {@code @} labelled O right before a token that begins an entity gets that token's B- label. */
    public static Harmonized markersTaggedLikeTheirNames(List<LabelledSentence> sentences) {
        List<LabelledSentence> out = new ArrayList<>(sentences.size());
        int retagged = 0;
        for (LabelledSentence sentence : sentences) {
            List<String> tokens = sentence.tokens();
            List<String> labels = new ArrayList<>(sentence.labels());
            int before = retagged;
            for (int i = 0; i + 1 < tokens.size(); i++) {
                if (MARKER.equals(tokens.get(i)) && "O".equals(labels.get(i)) && labels.get(i + 1).startsWith("B-")) {
                    labels.set(i, labels.get(i + 1));
                    retagged++;
                }
            }
            out.add(retagged == before ? sentence : new LabelledSentence(tokens, labels, sentence.intent()));
        }
        return new Harmonized(List.copyOf(out), retagged);
    }
}
