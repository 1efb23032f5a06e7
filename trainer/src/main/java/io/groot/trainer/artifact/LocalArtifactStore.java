package io.groot.trainer.artifact;

import io.groot.schemas.ArtifactRef;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Artifacts as files {@code <root>/sha256/<hex>.zip}, written atomically; the URI is the file's. */
public final class LocalArtifactStore implements ArtifactStore {
    private final Path root;

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public ArtifactRef put(byte[] content) throws IOException {
        String sha = Sha256.hex(content);
        Path target = root.resolve("sha256").resolve(sha + ".zip");
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), sha, ".tmp");
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new ArtifactRef(target.toUri().toString(), sha, (long) content.length);
    }

    @Override
    public byte[] get(ArtifactRef ref) throws IOException {
        URI uri = URI.create(ref.getUri());
        if (!"file".equals(uri.getScheme())) {
            throw new IOException("the local artifact store reads file: URIs, not " + ref.getUri());
        }
        byte[] content = Files.readAllBytes(Path.of(uri));
        if (content.length != ref.getSizeBytes()) {
            throw new CorruptArtifactException(ref.getUri() + " has " + content.length + " bytes, its reference says "
                    + ref.getSizeBytes());
        }
        String sha = Sha256.hex(content);
        if (!sha.equals(ref.getSha256())) {
            throw new CorruptArtifactException(ref.getUri() + " has SHA-256 " + sha + ", its reference says "
                    + ref.getSha256());
        }
        return content;
    }

    public Path root() {
        return root;
    }
}
