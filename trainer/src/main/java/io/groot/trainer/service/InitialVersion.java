package io.groot.trainer.service;

import io.groot.schemas.ArtifactRef;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.Vocabulary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Round zero of GROOT: a labeler trained by maximum likelihood on whatever labelled data exists, published as
 * version 1 so the loop has a model to generate candidates with.
 */
public final class InitialVersion {
    private static final float LEARNING_RATE = 2e-3f;
    private static final int BATCH_SIZE = 32;

    private InitialVersion() {
    }

    /** What {@link #train} trains with, as version 1's record keeps it ({@code ModelVersion.trainingSettings}). */
    public static Map<String, String> trainingSettings(int epochs, int seed) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("objective", "maximum-likelihood");
        settings.put(TrainerConfig.EPOCHS, Integer.toString(epochs));
        settings.put(TrainerConfig.LEARNING_RATE, Float.toString(LEARNING_RATE));
        settings.put(TrainerConfig.BATCH_SIZE, Integer.toString(BATCH_SIZE));
        settings.put(TrainerConfig.SEED, Integer.toString(seed));
        return settings;
    }

    /**
     * @param corpus   every text the vocabulary should know (unlabelled text is plentiful; labels are not)
     * @param labelSet the task's labels: feedback with other labels is refused
     */
    public static Labeler train(List<LabelledSentence> labelled, Collection<? extends List<String>> corpus,
                                Collection<String> labelSet, LabelerConfig architecture, int epochs, int seed) {
        Labeler labeler = Labeler.create(architecture, Vocabulary.build(corpus, labelSet), seed);
        List<ContrastSet> references = new ArrayList<>(labelled.size());
        for (int i = 0; i < labelled.size(); i++) {
            references.add(GrootTraining.referenceOnly("seed-" + i, labelled.get(i).tokens(), labelled.get(i).labels()));
        }
        try (GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), LEARNING_RATE)) {
            training.trainEpochs(references, epochs, BATCH_SIZE, new Random(seed));
        }
        return labeler;
    }

    /** Publishes {@code labeler} as version 1, with no record of how it was trained. */
    public static ModelVersion publish(VersionPublisher publisher, String modelName, Labeler labeler,
                                       long examples) throws IOException {
        return publish(publisher, modelName, labeler, examples, Map.of());
    }

    /** Publishes {@code labeler} as version 1; {@code trainingSettings} say how (see {@link #trainingSettings}). */
    public static ModelVersion publish(VersionPublisher publisher, String modelName, Labeler labeler, long examples,
                                       Map<String, String> trainingSettings) throws IOException {
        ArtifactRef artifact = publisher.store(labeler);
        return publisher.publish(new VersionPublisher.Release(modelName, 1, null, artifact, PromotionStatus.PROMOTED,
                "initial maximum-likelihood version", 1, artifact, Map.of("train.examples", (double) examples),
                List.of(), examples, trainingSettings), null, null);
    }
}
