package io.groot.schemas;

import java.util.List;

/** The topics of the loop (names configurable through a prefix; these are the defaults). */
public record Topics(String texts, String candidates, String rewards, String trainingBatches,
                     String modelVersions, String deadLetters) {

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "texts", prefix + "candidates", prefix + "rewards",
                prefix + "training-batches", prefix + "model-versions", prefix + "dead-letters");
    }

    public static Topics defaults() {
        return withPrefix("groot.");
    }

    public List<String> all() {
        return List.of(texts, candidates, rewards, trainingBatches, modelVersions, deadLetters);
    }
}
