package io.groot.trainer.service;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.TopicReader;
import io.groot.schemas.serde.AvroSerde;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
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

    /**
     * A consumer that follows the topic outside any consumer group, committed records only; {@link #assignAll}
     * gives it every partition.
     */
    public static KafkaConsumer<String, byte[]> follower(Properties clientConfig) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public static List<TopicPartition> assignAll(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        return partitions;
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
