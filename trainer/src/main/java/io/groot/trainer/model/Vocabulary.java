package io.groot.trainer.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Token and label inventories of a model version (part of its artifact). Token id 0 pads, 1 is unknown.
 * Labels are 0..L-1; id L stands for "before the first token" in the decoder's previous-label input.
 */
public final class Vocabulary {
    public static final String PAD = "<pad>";
    public static final String UNKNOWN = "<unk>";
    public static final int PAD_ID = 0;
    public static final int UNKNOWN_ID = 1;

    private final List<String> tokens;
    private final List<String> labels;
    private final Map<String, Integer> tokenIds = new HashMap<>();
    private final Map<String, Integer> labelIds = new HashMap<>();

    public Vocabulary(List<String> tokens, List<String> labels) {
        if (tokens.size() < 2 || !tokens.get(PAD_ID).equals(PAD) || !tokens.get(UNKNOWN_ID).equals(UNKNOWN)) {
            throw new IllegalArgumentException("token list must start with " + PAD + ", " + UNKNOWN);
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a labeler needs at least one label");
        }
        this.tokens = List.copyOf(tokens);
        this.labels = List.copyOf(labels);
        for (int i = 0; i < tokens.size(); i++) {
            tokenIds.put(tokens.get(i), i);
        }
        for (int i = 0; i < labels.size(); i++) {
            labelIds.put(labels.get(i), i);
        }
    }

    /** A vocabulary of every token seen in {@code corpus} and every label in {@code labelSet} (sorted: stable ids). */
    public static Vocabulary build(Collection<? extends List<String>> corpus, Collection<String> labelSet) {
        TreeSet<String> seen = new TreeSet<>();
        corpus.forEach(sentence -> sentence.forEach(token -> seen.add(normalize(token))));
        List<String> tokens = new ArrayList<>(List.of(PAD, UNKNOWN));
        tokens.addAll(seen);
        return new Vocabulary(tokens, new ArrayList<>(new TreeSet<>(labelSet)));
    }

    static String normalize(String token) {
        return token.toLowerCase(java.util.Locale.ROOT);
    }

    public int tokenId(String token) {
        return tokenIds.getOrDefault(normalize(token), UNKNOWN_ID);
    }

    /** @throws UnknownLabelException if the label is not in this model's label set */
    public int labelId(String label) {
        Integer id = labelIds.get(label);
        if (id == null) {
            throw new UnknownLabelException(label);
        }
        return id;
    }

    public boolean hasLabel(String label) {
        return labelIds.containsKey(label);
    }

    public String label(int id) {
        return labels.get(id);
    }

    public int labelCount() {
        return labels.size();
    }

    /** The decoder's "no previous label" id. */
    public int startLabelId() {
        return labels.size();
    }

    public int tokenCount() {
        return tokens.size();
    }

    public List<String> tokens() {
        return tokens;
    }

    public List<String> labels() {
        return labels;
    }

    /** A label outside the model's label set. */
    public static final class UnknownLabelException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UnknownLabelException(String label) {
            super("label '" + label + "' is not in the model's label set");
        }
    }
}
