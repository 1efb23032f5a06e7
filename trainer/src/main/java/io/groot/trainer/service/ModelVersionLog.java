package io.groot.trainer.service;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Reads the model-versions topic: the committed history, and the newest record of a model. */
public final class ModelVersionLog {
    private ModelVersionLog() {
    }

    /** Every committed record in the topic, oldest first (compaction keeps at least the newest per model). */
    public static List<ModelVersion> readAll(Properties clientConfig, String topic, AvroSerde<ModelVersion> serde) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ModelVersion> versions = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    versions.add(serde.deserialize(topic, record.value()));
                }
            }
        }
        return versions;
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
