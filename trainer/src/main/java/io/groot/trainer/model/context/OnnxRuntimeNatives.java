package io.groot.trainer.model.context;

import ai.djl.util.Utils;
import io.groot.trainer.artifact.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Unpacks ONNX Runtime's native libraries from its jar once, into DJL's cache directory (DJL_CACHE_DIR; the PyTorch
 * natives live there too), and points ONNX Runtime at them with {@value #PATH_PROPERTY}.
 *
 * <p>Left to itself, onnxruntime 1.29.0 copies its 28 MB of natives into a new {@code /tmp/onnxruntime-java*}
 * directory in every JVM and removes them only at a clean exit, in an order that leaves the directory behind: every
 * process start leaked a directory, and every killed process (OOM killer, a pod's grace period running out) 28 MB.
 * From the cache, processes share one copy, keyed by the libraries' SHA-256, written under a temporary name and
 * moved into place so that concurrent starts never load a half-written file.
 */
final class OnnxRuntimeNatives {
    static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final Logger log = LoggerFactory.getLogger(OnnxRuntimeNatives.class);
    private static final String RESOURCES = "/ai/onnxruntime/native/";
    private static final String[] REQUIRED = {"onnxruntime", "onnxruntime4j_jni"};
    private static final String[] LIBRARIES = {"onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared"};

    private OnnxRuntimeNatives() {
    }

    /**
     * Sets {@value #PATH_PROPERTY} to the unpacked natives unless it is set already; where this platform's natives
     * are not in the jar, or the cache cannot be written, leaves ONNX Runtime to its own loading.
     */
    static synchronized void prepare() {
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        Map<String, byte[]> libraries = bundled(platform());
        if (libraries.isEmpty()) {
            return;
        }
        try {
            Path directory = unpack(Utils.getEngineCacheDir("onnxruntime"), libraries);
            System.setProperty(PATH_PROPERTY, directory.toString());
        } catch (IOException e) {
            log.warn("could not unpack ONNX Runtime's natives into DJL's cache ({}); it extracts them into the "
                    + "temporary directory instead", e.toString());
        }
    }

    /**
     * Writes the libraries (file name to bytes) into a directory under {@code cacheRoot} named by their digest, and
     * returns it. A file already there with the same bytes is kept; any other is replaced. Files only ever appear
     * whole.
     */
    static Path unpack(Path cacheRoot, Map<String, byte[]> libraries) throws IOException {
        StringBuilder digests = new StringBuilder();
        libraries.forEach((file, bytes) -> digests.append(file).append(' ').append(Sha256.hex(bytes)).append('\n'));
        String key = Sha256.hex(digests.toString().getBytes(StandardCharsets.UTF_8));
        Path directory = cacheRoot.resolve(key.substring(0, 16));
        Files.createDirectories(directory);
        for (Map.Entry<String, byte[]> library : libraries.entrySet()) {
            Path target = directory.resolve(library.getKey());
            if (Files.isRegularFile(target) && Files.size(target) == library.getValue().length
                    && Arrays.equals(Files.readAllBytes(target), library.getValue())) {
                continue;
            }
            Path part = Files.createTempFile(directory, library.getKey(), ".part");
            try {
                Files.write(part, library.getValue());
                moveIntoPlace(part, target);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return directory;
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** This platform's libraries in the onnxruntime jar, by file name; empty unless it has the two it loads. */
    static Map<String, byte[]> bundled(String platform) {
        Map<String, byte[]> libraries = new LinkedHashMap<>();
        if (platform == null) {
            return libraries;
        }
        for (String library : LIBRARIES) {
            String file = System.mapLibraryName(library);
            try (InputStream in = OnnxRuntimeNatives.class.getResourceAsStream(RESOURCES + platform + "/" + file)) {
                if (in != null) {
                    libraries.put(file, in.readAllBytes());
                }
            } catch (IOException e) {
                log.warn("could not read {} from the onnxruntime jar: {}", file, e.toString());
                return Map.of();
            }
        }
        for (String library : REQUIRED) {
            if (!libraries.containsKey(System.mapLibraryName(library))) {
                return Map.of();
            }
        }
        return libraries;
    }

    /** The jar's folder name for this platform, as onnxruntime names it (linux-x64, osx-aarch64, win-x64), or null. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win" : null;
        String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "aarch64"
                : null;
        return osPart == null || archPart == null ? null : osPart + "-" + archPart;
    }
}
