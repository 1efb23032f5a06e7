package io.groot.trainer.data;

import java.util.List;

/** One sentence with one label per token; {@code intent} is optional metadata (may be empty). */
public record LabelledSentence(List<String> tokens, List<String> labels, String intent) {

    public LabelledSentence {
        if (tokens.size() != labels.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + labels.size() + " labels: " + tokens);
        }
        tokens = List.copyOf(tokens);
        labels = List.copyOf(labels);
    }

    public String text() {
        return String.join(" ", tokens);
    }
}
