package io.groot.trainer.artifact;

import java.io.IOException;

/** Artifact bytes that do not match the size or SHA-256 their reference promises: never loaded. */
public final class CorruptArtifactException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptArtifactException(String message) {
        super(message);
    }
}
