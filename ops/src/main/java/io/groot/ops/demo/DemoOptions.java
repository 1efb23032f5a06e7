package io.groot.ops.demo;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.model.LabelerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@code groot demo}; see {@link #defaults()} for the documented defaults.
 *
 * @param dataDir            labelled data (seq.in/seq.out or CoNLL); null: the built-in sample
 * @param bootstrapServers   an existing cluster; null: start the embedded broker
 * @param clientConfig       extra Kafka client settings (security.protocol, sasl.*, ssl.*), passed everywhere
 * @param workDir            where broker data, state and artifacts go; null: a temporary directory, deleted after
 * @param seedSentences      labelled sentences the initial (maximum-likelihood) version is trained on;
 *                           0: a tenth of the training split, at most 1000
 * @param maxTexts           most texts streamed through the loop after that
 * @param minVersions        stop once this many versions trained on feedback are published (and one serves)
 * @param objective          the streaming trainer's GROOT loss (tau, alpha, lambda)
 * @param maxFeedbackDelay   feedback arrives after a uniform random delay up to this
 * @param duplicateRate      fraction of feedback events delivered twice
 * @param architecture       the labeler of version 1 (its pretrained encoder among it); later versions keep it
 */
public record DemoOptions(Path dataDir, String bootstrapServers, Map<String, String> clientConfig, Path workDir,
                          String topicPrefix, String modelName, int maxSeconds, double textsPerSecond,
                          int seedSentences, int initialEpochs, int maxTexts, int examplesPerVersion,
                          int minVersions, int partitions, int beamWidth, String reward, GrootObjective objective,
                          Duration maxFeedbackDelay, double duplicateRate, long seed, LabelerConfig architecture) {

    /** The options with the default architecture. */
    public DemoOptions(Path dataDir, String bootstrapServers, Map<String, String> clientConfig, Path workDir,
                       String topicPrefix, String modelName, int maxSeconds, double textsPerSecond,
                       int seedSentences, int initialEpochs, int maxTexts, int examplesPerVersion,
                       int minVersions, int partitions, int beamWidth, String reward, GrootObjective objective,
                       Duration maxFeedbackDelay, double duplicateRate, long seed) {
        this(dataDir, bootstrapServers, clientConfig, workDir, topicPrefix, modelName, maxSeconds, textsPerSecond,
                seedSentences, initialEpochs, maxTexts, examplesPerVersion, minVersions, partitions, beamWidth, reward,
                objective, maxFeedbackDelay, duplicateRate, seed, LabelerConfig.defaults());
    }

    public static DemoOptions defaults() {
        return new DemoOptions(null, null, Map.of(), null, "groot.", "slots", 600, 150, 0, 4, 20_000, 0, 2, 2, 4,
                "f0.5", GrootObjective.defaults(), Duration.ofSeconds(3), 0.05, 7L);
    }
}
