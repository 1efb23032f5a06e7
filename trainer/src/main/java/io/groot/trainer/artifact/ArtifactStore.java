package io.groot.trainer.artifact;

import io.groot.schemas.ArtifactRef;

import java.io.IOException;

/** Immutable, content-addressed storage of model artifacts. Local disk by default; object stores can implement it. */
public interface ArtifactStore {

    /** Stores {@code content} (a no-op if it is already there) and returns its address. */
    ArtifactRef put(byte[] content) throws IOException;

    /**
     * The bytes at {@code ref}, checked against its size and SHA-256.
     *
     * @throws CorruptArtifactException if they do not match
     */
    byte[] get(ArtifactRef ref) throws IOException;
}
