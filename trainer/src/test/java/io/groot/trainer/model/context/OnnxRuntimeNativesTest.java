package io.groot.trainer.model.context;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxRuntimeNativesTest {
    @TempDir
    Path cache;

    @Test
    void unpacksOnceKeyedByContentAndMendsADamagedFile() throws IOException {
        Map<String, byte[]> libraries = new LinkedHashMap<>();
        libraries.put("libone.so", "first library".getBytes());
        libraries.put("libtwo.so", "second library".getBytes());
        Path directory = OnnxRuntimeNatives.unpack(cache, libraries);
        for (Map.Entry<String, byte[]> library : libraries.entrySet()) {
            assertArrayEquals(library.getValue(), Files.readAllBytes(directory.resolve(library.getKey())));
        }

        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(directory.resolve("libone.so"), old);
        assertEquals(directory, OnnxRuntimeNatives.unpack(cache, libraries));
        assertEquals(old, Files.getLastModifiedTime(directory.resolve("libone.so")), "a whole file was rewritten");

        Files.write(directory.resolve("libone.so"), "first librarY".getBytes());
        Files.write(directory.resolve("libtwo.so"), "second".getBytes());
        assertEquals(directory, OnnxRuntimeNatives.unpack(cache, libraries));
        assertArrayEquals(libraries.get("libone.so"), Files.readAllBytes(directory.resolve("libone.so")),
                "a damaged file of the right size was kept");
        assertArrayEquals(libraries.get("libtwo.so"), Files.readAllBytes(directory.resolve("libtwo.so")),
                "a truncated file was kept");
        try (var files = Files.list(directory)) {
            assertEquals(2, files.count(), "a temporary file was left behind");
        }

        libraries.put("libtwo.so", "another second library".getBytes());
        assertNotEquals(directory, OnnxRuntimeNatives.unpack(cache, libraries), "other bytes, same directory");
    }

    @Test
    void theEncoderLoadsOnnxRuntimeFromTheCacheNotFromTheTemporaryDirectory() throws IOException {
        Map<String, byte[]> bundled = OnnxRuntimeNatives.bundled(OnnxRuntimeNatives.platform());
        String library = System.mapLibraryName("onnxruntime");
        assertTrue(bundled.containsKey(library), "this platform's natives should be in the jar: " + bundled.keySet());

        ContextEncoders.named(ContextEncoders.MINILM).encoder();

        String path = System.getProperty(OnnxRuntimeNatives.PATH_PROPERTY);
        assertNotNull(path, OnnxRuntimeNatives.PATH_PROPERTY + " was not set");
        Path cached = Path.of(path).resolve(library);
        assertEquals(bundled.get(library).length, Files.size(cached));
        String maps = Files.readString(Path.of("/proc/self/maps"));
        assertTrue(maps.contains(cached.toString()), "onnxruntime was loaded from somewhere else than " + cached);
        assertTrue(!maps.contains("onnxruntime-java"), "onnxruntime was extracted into the temporary directory");
    }
}
