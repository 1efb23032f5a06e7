package io.groot.trainer.service;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.TopicReader;
import io.groot.schemas.serde.AvroSerde;

import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** Reads the model-versions topic: the committed history, and the newest record of a model. */
public final class ModelVersionLog {
    private ModelVersionLog() {
    }

    /** Every committed record in the topic, oldest first (compaction keeps at least the newest per model). */
    public static List<ModelVersion> readAll(Properties clientConfig, String topic, AvroSerde<ModelVersion> serde) {
        return TopicReader.readCommitted(clientConfig, topic, serde.deserializer());
    }

    public static Optional<ModelVersion> latest(Properties clientConfig, String topic, AvroSerde<ModelVersion> serde,
                                                String modelName) {
        ModelVersion newest = null;
        for (ModelVersion version : readAll(clientConfig, topic, serde)) {
            if (version.getModelName().equals(modelName)) {
                newest = version;
            }
        }
        return Optional.ofNullable(newest);
    }
}
