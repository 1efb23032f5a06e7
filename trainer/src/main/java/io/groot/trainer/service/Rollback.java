package io.groot.trainer.service;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An operator pins serving to an earlier version. The pin is a model-versions record of its own: it takes the next
 * version number (so numbers stay unique and a restarted trainer goes on after it), status ROLLED_BACK_TO, and the
 * pinned version's artifact as both its artifact and its serving one, with that version's lineage (parent, data
 * trained through, training settings) but no metrics of its own. Inference hot-swaps to it like to any
 * promoted version, and the streaming trainer trains its next version from it.
 */
public final class Rollback {
    private Rollback() {
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
