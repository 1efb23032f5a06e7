package io.groot.trainer.service;

import io.groot.schemas.ArtifactRef;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.TopicOffset;
import io.groot.schemas.serde.AvroSerde;
import io.groot.trainer.artifact.ArtifactStore;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Stores a version's artifact, then publishes its model-versions record, and (for trained versions) commits the
 * training-batch offsets it consumed, in one Kafka transaction: a crash neither publishes a version twice nor
 * skips or repeats training data.
 */
public final class VersionPublisher implements AutoCloseable {
    private final ArtifactStore store;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientListener clients;
    private final String topic;
    private final AvroSerde<ModelVersion> serde;
    private final String transactionalId;

    /**
     * Another producer took this publisher's transactional id (a {@link Rollback} fences the trainer's): the broker
     * aborted what it was publishing, and the publisher is spent.
     */
    public static final class FencedException extends RuntimeException {
        FencedException(String transactionalId, Throwable cause) {
            super("another producer took transactional id '" + transactionalId + "'", cause);
        }
    }

    /** Opens a transactional producer: one that had {@code transactionalId} before is fenced off. */
    public VersionPublisher(Properties clientConfig, String transactionalId, ArtifactStore store, String topic,
                            AvroSerde<ModelVersion> serde) {
        this(clientConfig, transactionalId, store, topic, serde, KafkaClientListener.NONE);
    }

    /** @param clients told of the producer when it opens and before it closes */
    public VersionPublisher(Properties clientConfig, String transactionalId, ArtifactStore store, String topic,
                            AvroSerde<ModelVersion> serde, KafkaClientListener clients) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.producer.initTransactions();
        this.clients = clients;
        clients.producerAdded(producer);
        this.store = store;
        this.topic = topic;
        this.serde = serde;
        this.transactionalId = transactionalId;
    }

    public ArtifactRef store(Labeler labeler) throws IOException {
        return store.put(LabelerArtifact.toBytes(labeler));
    }

    /** What a new version record says; {@code serving} is the version inference serves after it. */
    public record Release(String modelName, long version, Long parentVersion, ArtifactRef artifact,
                          PromotionStatus status, String reason, long servingVersion, ArtifactRef servingArtifact,
                          Map<String, Double> metrics, List<TopicOffset> trainedThrough, long trainingExamples,
                          Map<String, String> trainingSettings) {
    }

    public ModelVersion publish(Release release, Map<TopicPartition, OffsetAndMetadata> consumed,
                                ConsumerGroupMetadata group) {
        return publish(release, List.of(), consumed, group);
    }

    /** As above, with {@code alongside} (dead letters, say) sent in the same transaction. */
    public ModelVersion publish(Release release, List<ProducerRecord<String, byte[]>> alongside,
                                Map<TopicPartition, OffsetAndMetadata> consumed, ConsumerGroupMetadata group) {
        ModelVersion record = ModelVersion.newBuilder()
                .setModelName(release.modelName()).setVersion(release.version())
                .setParentVersion(release.parentVersion()).setArtifact(release.artifact())
                .setCreatedAt(Instant.now()).setStatus(release.status()).setStatusReason(release.reason())
                .setServingVersion(release.servingVersion()).setServingArtifact(release.servingArtifact())
                .setMetrics(release.metrics()).setTrainedThrough(new ArrayList<>(release.trainedThrough()))
                .setTrainingExamples(release.trainingExamples())
                .setTrainingSettings(release.trainingSettings())
                .build();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(versionRecord(record));
        records.addAll(alongside);
        commit(records, consumed, group);
        return record;
    }

    /**
     * Publishes a prepared record (e.g. a {@link Rollback}), with the consumed offsets if there are any.
     *
     * @throws FencedException if another producer took this one's transactional id meanwhile
     */
    public ModelVersion publish(ModelVersion record, Map<TopicPartition, OffsetAndMetadata> consumed,
                                ConsumerGroupMetadata group) {
        commit(List.of(versionRecord(record)), consumed, group);
        return record;
    }

    private ProducerRecord<String, byte[]> versionRecord(ModelVersion record) {
        return new ProducerRecord<>(topic, record.getModelName(), serde.serialize(topic, record));
    }

    /**
     * Sends {@code records} and commits the consumed offsets (if any) in one transaction.
     *
     * @throws FencedException if another producer took this one's transactional id meanwhile
     */
    public void commit(List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> consumed,
                       ConsumerGroupMetadata group) {
        try {
            producer.beginTransaction(); // throws at once if fenced before this transaction
        } catch (RuntimeException e) {
            throw fenced(e) ? new FencedException(transactionalId, e) : e;
        }
        try {
            records.forEach(producer::send);
            if (consumed != null && !consumed.isEmpty()) {
                producer.sendOffsetsToTransaction(consumed, group);
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            if (fenced(e)) {
                throw new FencedException(transactionalId, e); // a fenced producer may not even abort
            }
            producer.abortTransaction();
            throw e;
        }
    }

    /** Fencing surfaces as the exception itself, or as the cause of the error state a failed send left. */
    private static boolean fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        clients.producerRemoved(producer);
        producer.close();
    }
}
