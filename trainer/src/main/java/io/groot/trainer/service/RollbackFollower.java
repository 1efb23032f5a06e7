package io.groot.trainer.service;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.TopicReader;
import io.groot.schemas.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Follows the model-versions topic, from where it stood at {@link #start}, for {@link Rollback}s an operator
 * publishes while the trainer runs: the trainer must then train from the pinned version, not from the one it had.
 */
final class RollbackFollower implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final String modelName;
    private final AvroSerde<ModelVersion> serde;
    private final KafkaClientListener clients;
    private List<TopicPartition> partitions;
    private ModelVersion untaken;

    /** @param clients told of the follower's consumer, as of the trainer's own */
    RollbackFollower(Properties clientConfig, String topic, String modelName, AvroSerde<ModelVersion> serde,
                     KafkaClientListener clients) {
        this.consumer = TopicReader.committedConsumer(clientConfig, new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topic = topic;
        this.modelName = modelName;
        this.serde = serde;
        this.clients = clients;
        clients.consumerAdded(consumer);
    }

    /**
     * Starts following from the topic's end now. Called once the trainer has read the serving version (so the topic
     * exists); a rollback published from then on is seen even if the first poll comes later.
     */
    void start() {
        partitions = TopicReader.assignAll(consumer, List.of(topic), Duration.ofSeconds(60));
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /**
     * Whether a rollback of this model above {@code lastVersion} has been published and not yet taken; reads up to
     * the end of the topic first (a few milliseconds), so a rollback committed before this call is seen.
     */
    boolean arrived(long lastVersion) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            read(Duration.ofMillis(100));
        }
        return pinnedAbove(lastVersion);
    }

    /** {@link #arrived(long)}, waiting up to {@code patience} for a rollback that is not there yet. */
    boolean arrived(long lastVersion, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean arrived = arrived(lastVersion);
        while (!arrived && System.nanoTime() < deadline) {
            read(Duration.ofMillis(100));
            arrived = pinnedAbove(lastVersion);
        }
        return arrived;
    }

    /** The newest rollback above {@code lastVersion} not taken yet among what has been fetched; does not wait. */
    Optional<ModelVersion> take(long lastVersion) {
        read(Duration.ZERO);
        Optional<ModelVersion> taken = pinnedAbove(lastVersion) ? Optional.of(untaken) : Optional.empty();
        untaken = null;
        return taken;
    }

    private boolean pinnedAbove(long lastVersion) {
        return untaken != null && untaken.getVersion() > lastVersion;
    }

    private void read(Duration wait) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            if (modelName.equals(record.key())) {
                ModelVersion version = serde.deserialize(topic, record.value());
                if (version.getStatus() == PromotionStatus.ROLLED_BACK_TO) {
                    untaken = version;
                }
            }
        }
    }

    @Override
    public void close() {
        clients.consumerRemoved(consumer);
        consumer.close();
    }
}
