package io.groot.trainer.service;

import io.groot.schemas.ArtifactRef;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollbackTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    /** v1 and v2 promoted, v3 rejected (v2 still serves), v4 promoted and serving. */
    private final List<ModelVersion> history = List.of(version(1, PromotionStatus.PROMOTED, 1),
            version(2, PromotionStatus.PROMOTED, 2), version(3, PromotionStatus.REJECTED, 2),
            version(4, PromotionStatus.PROMOTED, 4));

    @Test
    void thePinTakesTheNextNumberAndServesThePinnedVersionsArtifact() {
        ModelVersion pin = Rollback.record(history, "slots", 2, "bad dates in v4", NOW);
        assertEquals(5L, pin.getVersion());
        assertEquals(PromotionStatus.ROLLED_BACK_TO, pin.getStatus());
        assertEquals(2L, pin.getServingVersion());
        assertEquals(artifact(2), pin.getServingArtifact());
        assertEquals(artifact(2), pin.getArtifact());
        assertEquals(NOW, pin.getCreatedAt());
        assertTrue(pin.getStatusReason().contains("from version 4 to version 2: bad dates in v4"),
                pin.getStatusReason());
    }

    @Test
    void aRejectedUnknownOrAlreadyServingVersionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Rollback.record(history, "slots", 3, "", NOW),
                "rejected by the gate: it never served");
        assertThrows(IllegalArgumentException.class, () -> Rollback.record(history, "slots", 9, "", NOW));
        assertThrows(IllegalArgumentException.class, () -> Rollback.record(history, "slots", 4, "", NOW));
        assertThrows(IllegalArgumentException.class, () -> Rollback.record(history, "other", 1, "", NOW));
    }

    private static ModelVersion version(long number, PromotionStatus status, long serving) {
        return ModelVersion.newBuilder().setModelName("slots").setVersion(number)
                .setParentVersion(number == 1 ? null : number - 1).setArtifact(artifact(number))
                .setCreatedAt(NOW.minusSeconds(100 - number)).setStatus(status).setStatusReason("")
                .setServingVersion(serving).setServingArtifact(artifact(serving)).setMetrics(Map.of())
                .build();
    }

    private static ArtifactRef artifact(long version) {
        return new ArtifactRef("file:///a/" + version + ".zip", "sha" + version, 10 + version);
    }
}
