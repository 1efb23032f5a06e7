package io.groot.trainer.service;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.serde.AvroSerde;
import io.groot.trainer.artifact.ArtifactStore;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * An operator pins serving to an earlier version. The pin is a model-versions record of its own: it takes the next
 * version number (so numbers stay unique and a restarted trainer goes on after it), status ROLLED_BACK_TO, and the
 * pinned version's artifact as both its artifact and its serving one, with that version's lineage (parent, data
 * trained through, training settings) but no metrics of its own. Inference hot-swaps to it like to any
 * promoted version, and the streaming trainer trains its next version from it.
 *
 * <p>{@link #publish} publishes the pin under the trainer's transactional id, which fences the trainer: a version
 * it was committing is either in the log before the pin's number is chosen or aborted, never after the pin with
 * the same number. The trainer then waits for the pin and goes on from it.
 */
public final class Rollback {
    private Rollback() {
    }

    /**
     * Pins serving of {@code model} to {@code version}: checks the request and the pinned artifact (size, SHA-256)
     * against the log first, so a refused rollback leaves the trainer alone; then fences the trainer and chooses
     * the pin's number from the log as it stands after the fence.
     *
     * @throws IllegalArgumentException as {@link #record} does
     * @throws IOException              if the pinned artifact is missing or corrupt; nothing is published
     */
    public static ModelVersion publish(Properties clientConfig, String topic, AvroSerde<ModelVersion> serde,
                                       ArtifactStore artifacts, String model, long version, String reason)
            throws IOException {
        Supplier<ModelVersion> pinFromLog = () -> record(ModelVersionLog.readAll(clientConfig, topic, serde), model,
                version, reason, Instant.now());
        artifacts.get(pinFromLog.get().getServingArtifact());
        try (VersionPublisher fencing = new VersionPublisher(clientConfig, StreamingTrainer.transactionalId(model),
                artifacts, topic, serde)) {
            return fencing.publish(pinFromLog.get(), Map.of(), null);
        }
    }

    /**
     * The record that pins serving of {@code model} to {@code version}, given the model-versions history.
     *
     * @throws IllegalArgumentException if the version is unknown, was rejected by the gate (it never served), or
     *                                  already serves
     */
    public static ModelVersion record(List<ModelVersion> history, String model, long version, String reason,
                                      Instant now) {
        List<ModelVersion> ofModel = history.stream().filter(v -> v.getModelName().equals(model)).toList();
        if (ofModel.isEmpty()) {
            throw new IllegalArgumentException("model '" + model + "' has no versions");
        }
        ModelVersion newest = ofModel.get(ofModel.size() - 1);
        if (newest.getServingVersion() == version) {
            throw new IllegalArgumentException("version " + version + " of '" + model + "' already serves");
        }
        ModelVersion pinned = trained(ofModel, version).orElseThrow(() -> new IllegalArgumentException(
                "no version " + version + " of '" + model + "' that passed its gate; known: "
                        + ofModel.stream().map(v -> v.getVersion() + " " + v.getStatus()).toList()));
        long next = ofModel.stream().mapToLong(ModelVersion::getVersion).max().orElseThrow() + 1;
        return ModelVersion.newBuilder(pinned)
                .setVersion(next)
                .setCreatedAt(now)
                .setStatus(PromotionStatus.ROLLED_BACK_TO)
                .setStatusReason("serving rolled back from version " + newest.getServingVersion() + " to version "
                        + version + (reason.isBlank() ? "" : ": " + reason))
                .setServingVersion(version)
                .setServingArtifact(pinned.getArtifact())
                .setMetrics(Map.of()) // no training, no gate: the pinned version's record keeps its own
                .build();
    }

    /** The record that first published {@code version} with its own weights, if the gate let it serve. */
    private static Optional<ModelVersion> trained(List<ModelVersion> ofModel, long version) {
        return ofModel.stream()
                .filter(v -> v.getVersion() == version && v.getStatus() == PromotionStatus.PROMOTED)
                .findFirst();
    }
}
