package io.groot.schemas.serde;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.SchemaRegistry;
import io.groot.schemas.state.PendingRecord;
import org.apache.avro.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/** One wire-format serde per topic value type, all backed by the same registry. Keys are UTF-8 strings. */
public final class GrootSerdes {
    private final SchemaRegistry registry;
    private final AvroSerde<TextEvent> texts;
    private final AvroSerde<CandidateSet> candidates;
    private final AvroSerde<RewardEvent> rewards;
    private final AvroSerde<TrainingBatch> trainingBatches;
    private final AvroSerde<ModelVersion> modelVersions;
    private final AvroSerde<DeadLetter> deadLetters;
    private final AvroSerde<ContrastSet> contrastSets;
    private final AvroSerde<PendingRecord> pendingRecords;

    public GrootSerdes(SchemaRegistry registry) {
        this.registry = registry;
        this.texts = new AvroSerde<>(registry, TextEvent.class);
        this.candidates = new AvroSerde<>(registry, CandidateSet.class);
        this.rewards = new AvroSerde<>(registry, RewardEvent.class);
        this.trainingBatches = new AvroSerde<>(registry, TrainingBatch.class);
        this.modelVersions = new AvroSerde<>(registry, ModelVersion.class);
        this.deadLetters = new AvroSerde<>(registry, DeadLetter.class);
        this.contrastSets = new AvroSerde<>(registry, ContrastSet.class);
        this.pendingRecords = new AvroSerde<>(registry, PendingRecord.class);
    }

    /**
     * Registers the value schema of every topic (subject {@code <topic>-value}), inputs included, so that a
     * producer in another language can look them up before it writes: {@code groot topics} does it.
     *
     * @return the schema id by subject
     */
    public Map<String, Integer> registerValueSchemas(Topics topics) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        Map<String, Schema> schemas = Map.of(
                topics.texts(), TextEvent.getClassSchema(), topics.candidates(), CandidateSet.getClassSchema(),
                topics.rewards(), RewardEvent.getClassSchema(), topics.trainingBatches(),
                TrainingBatch.getClassSchema(), topics.modelVersions(), ModelVersion.getClassSchema(),
                topics.deadLetters(), DeadLetter.getClassSchema());
        for (String topic : topics.all()) {
            String subject = SchemaRegistry.valueSubject(topic);
            ids.put(subject, registry.register(subject, schemas.get(topic)));
        }
        return ids;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    public AvroSerde<TextEvent> texts() {
        return texts;
    }

    public AvroSerde<CandidateSet> candidates() {
        return candidates;
    }

    public AvroSerde<RewardEvent> rewards() {
        return rewards;
    }

    public AvroSerde<TrainingBatch> trainingBatches() {
        return trainingBatches;
    }

    public AvroSerde<ModelVersion> modelVersions() {
        return modelVersions;
    }

    public AvroSerde<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** For state stores that buffer contrast sets before they are batched. */
    public AvroSerde<ContrastSet> contrastSets() {
        return contrastSets;
    }

    /** For the reward join's state stores (candidates and feedback waiting for each other). */
    public AvroSerde<PendingRecord> pendingRecords() {
        return pendingRecords;
    }
}
