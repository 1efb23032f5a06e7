package io.groot.trainer.reward;

import java.util.ArrayList;
import java.util.List;

/**
 * A labelled span [start, end) of a BIO sequence. Follows conlleval: an I-x that does not continue an x span
 * starts a new one; O and anything not B-/I- ends a span.
 */
public record Span(String type, int start, int end) {

    public static List<Span> of(List<String> labels) {
        List<Span> spans = new ArrayList<>();
        String type = null;
        int start = -1;
        for (int i = 0; i <= labels.size(); i++) {
            String label = i < labels.size() ? labels.get(i) : "O";
            boolean begins = label.startsWith("B-");
            boolean inside = label.startsWith("I-");
            String labelType = begins || inside ? label.substring(2) : null;
            boolean continues = inside && labelType.equals(type);
            if (type != null && !continues) {
                spans.add(new Span(type, start, i));
                type = null;
            }
            if (labelType != null && !continues) {
                type = labelType;
                start = i;
            }
        }
        return spans;
    }
}
