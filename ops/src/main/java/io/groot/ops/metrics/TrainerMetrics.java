package io.groot.ops.metrics;

import io.groot.trainer.service.StreamingTrainer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The streaming trainer's meters: versions published, sets waiting for the next one, and what it could not train
 * on (unreadable batches, dead-lettered; sets too stale; reads retried while the registry was unavailable), with
 * JVM memory, GC, threads and CPU, and (through {@link #clientMeters}) its Kafka clients' own metrics. Loss and gate
 * reward per version come from the versions topic, through the streams instances' {@link LoopMetrics}.
 */
public final class TrainerMetrics {

    private TrainerMetrics() {
    }

    public static void bind(MeterRegistry registry, StreamingTrainer trainer, String modelName) {
        LoopMetrics.bindJvm(registry);
        bindTrainer(registry, trainer, modelName);
    }

    /** The trainer's own meters alone: for a registry that already has the JVM's (the demo's, one process). */
    public static void bindTrainer(MeterRegistry registry, StreamingTrainer trainer, String modelName) {
        counter(registry, trainer, modelName, "groot.trainer.versions.published", StreamingTrainer::publishedVersions,
                "versions this trainer published since it started");
        counter(registry, trainer, modelName, "groot.trainer.batches.unreadable", StreamingTrainer::unreadableBatches,
                "training batches it could not read, dead-lettered");
        counter(registry, trainer, modelName, "groot.trainer.sets.dropped.stale", StreamingTrainer::droppedStale,
                "contrast sets from versions further behind the serving one than --max-staleness");
        counter(registry, trainer, modelName, "groot.trainer.sets.skipped.budget", StreamingTrainer::skippedOverBudget,
                "older waiting contrast sets the versions did not take, over --max-sets-per-version");
        counter(registry, trainer, modelName, "groot.trainer.registry.waits", StreamingTrainer::registryWaits,
                "reads of a training batch retried while the schema registry was unavailable");
        Gauge.builder("groot.trainer.sets.pending", trainer, StreamingTrainer::pendingSets).strongReference(true)
                .tag("model", modelName).description("contrast sets waiting for the next version")
                .register(registry);
    }

    /**
     * The Kafka consumer and producer metrics of the trainer's clients (among them its lag on the training batches),
     * bound to {@code endpoint} for as long as each client is open; pass it to the trainer's constructor.
     */
    public static KafkaClientMeters clientMeters(MetricsEndpoint endpoint, String modelName) {
        return endpoint.closing(new KafkaClientMeters(endpoint.registry(), List.of(Tag.of("model", modelName))));
    }

    private static void counter(MeterRegistry registry, StreamingTrainer trainer, String model, String name,
                                ToDoubleFunction<StreamingTrainer> count, String description) {
        FunctionCounter.builder(name, trainer, count).tag("model", model).description(description)
                .register(registry);
    }
}
