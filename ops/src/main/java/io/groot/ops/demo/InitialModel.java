package io.groot.ops.demo;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.ArtifactStore;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.service.InitialVersion;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.VersionPublisher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Optional;
import java.util.stream.Stream;

/** Version 1 of a model: maximum likelihood on labelled sentences, published unless the model has versions. */
public final class InitialModel {
    private InitialModel() {
    }

    /**
     * @param seed the labelled sentences version 1 learns from; the vocabulary covers the corpus' train and valid
     *             texts and its label set
     */
    public static ModelVersion publishIfAbsent(Properties client, Topics topics, GrootSerdes serdes,
                                               ArtifactStore artifacts, String modelName, LabelledCorpus corpus,
                                               List<LabelledSentence> seed, LabelerConfig architecture,
                                               int epochs, int randomSeed, PrintStream progress) throws IOException {
        Optional<ModelVersion> existing = ModelVersionLog.latest(client, topics.modelVersions(),
                serdes.modelVersions(), modelName);
        if (existing.isPresent()) {
            progress.println("model '" + modelName + "' already has version "
                    + existing.get().getServingVersion() + "; continuing from it");
            return existing.get();
        }
        List<List<String>> texts = new ArrayList<>();
        Stream.of(corpus.train(), corpus.valid()).flatMap(List::stream).forEach(s -> texts.add(s.tokens()));
        try (Labeler labeler = InitialVersion.train(seed, texts, corpus.labelSet(), architecture,
                epochs, randomSeed);
             VersionPublisher publisher = new VersionPublisher(client, "groot-initial-" + modelName, artifacts,
                     topics.modelVersions(), serdes.modelVersions())) {
            ModelVersion published = InitialVersion.publish(publisher, modelName, labeler, seed.size(),
                    InitialVersion.trainingSettings(epochs, randomSeed));
            progress.printf(Locale.ROOT, "version 1 trained by maximum likelihood on %d sentences (encoder %s)%n",
                    seed.size(), architecture.contextEncoder());
            return published;
        }
    }
}
