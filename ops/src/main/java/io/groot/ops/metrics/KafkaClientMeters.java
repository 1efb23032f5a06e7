package io.groot.ops.metrics;

import io.groot.trainer.service.KafkaClientListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds the Kafka client metrics of each consumer and producer a service opens (lag, fetch and commit rates,
 * transaction times) with Micrometer's {@link KafkaClientMetrics}, and removes them when the client closes: a
 * trainer replaces its producer after a rollback fenced it.
 */
public final class KafkaClientMeters implements KafkaClientListener, AutoCloseable {
    private final MeterRegistry registry;
    private final List<Tag> tags;
    private final Map<Object, KafkaClientMetrics> bound = new ConcurrentHashMap<>();

    public KafkaClientMeters(MeterRegistry registry, List<Tag> tags) {
        this.registry = registry;
        this.tags = List.copyOf(tags);
    }

    @Override
    public void consumerAdded(Consumer<?, ?> consumer) {
        bind(consumer, new KafkaClientMetrics(consumer, tags));
    }

    @Override
    public void consumerRemoved(Consumer<?, ?> consumer) {
        unbind(consumer);
    }

    @Override
    public void producerAdded(Producer<?, ?> producer) {
        bind(producer, new KafkaClientMetrics(producer, tags));
    }

    @Override
    public void producerRemoved(Producer<?, ?> producer) {
        unbind(producer);
    }

    private void bind(Object client, KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        bound.put(client, metrics);
    }

    private void unbind(Object client) {
        KafkaClientMetrics metrics = bound.remove(client);
        if (metrics != null) {
            metrics.close();
        }
    }

    @Override
    public void close() {
        bound.keySet().forEach(this::unbind);
    }
}
