package io.groot.trainer.service;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Told of each Kafka client a service opens and closes, so that its metrics can be bound (Micrometer's
 * {@code KafkaClientMetrics}), as Spring Kafka's client factory listeners are. The clients belong to the service's
 * threads: a listener may read their {@code metrics()}, which is safe from any thread, and must call nothing else.
 */
public interface KafkaClientListener {
    /** Listens to nothing. */
    KafkaClientListener NONE = new KafkaClientListener() {
    };

    default void consumerAdded(Consumer<?, ?> consumer) {
    }

    /** Called before the consumer is closed. */
    default void consumerRemoved(Consumer<?, ?> consumer) {
    }

    default void producerAdded(Producer<?, ?> producer) {
    }

    /** Called before the producer is closed. */
    default void producerRemoved(Producer<?, ?> producer) {
    }
}
