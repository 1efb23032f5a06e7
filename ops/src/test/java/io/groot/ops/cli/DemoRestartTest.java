package io.groot.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.ops.io.Directories;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code groot demo --work-dir D} stopped by SIGTERM, then run again, as an operator does: the stop closes Kafka
 * Streams before the broker (one line says so), the restart logs no ERROR (a Streams task whose state was not
 * closed is "corrupted" under exactly-once and logged at ERROR), says that it starts over, and counts exactly
 * what it adds to the books.
 */
class DemoRestartTest {
    private static final Pattern TEXTS_SENT = Pattern.compile("texts (\\d+)/");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, String stdout, List<String> stderr) {
    }

    @Test
    void aStoppedDemoRestartsCleanlyAndItsCountsAreWhatItAddsToTheBooks() throws Exception {
        Path work = Files.createTempDirectory("groot-demo-restart-");
        try {
            List<String> arguments = List.of("demo", "--work-dir", work.toString(), "--encoder", "none",
                    "--rate", "40", "--max-seconds", "240");
            Run stopped = run(arguments, 150);
            assertTrue(stopped.stderr().stream().anyMatch(l -> l.startsWith("stopping on a signal: closing")),
                    String.join("\n", stopped.stderr()));
            JsonNode first = JSON.readTree(stopped.stdout());
            assertEquals("signal", first.path("stopped").asText(), stopped.stdout());
            assertNoErrors(stopped);

            Run again = run(arguments, -1);
            assertEquals(0, again.exit(), String.join("\n", again.stderr()));
            assertNoErrors(again);
            assertTrue(again.stderr().stream().anyMatch(l -> l.startsWith("this work dir holds an earlier run")),
                    String.join("\n", again.stderr()));
            JsonNode second = JSON.readTree(again.stdout());
            assertTrue(second.path("completed").asBoolean(), again.stdout());
            JsonNode before = second.path("accountingBefore");
            JsonNode after = second.path("accounting");
            assertTrue(before.path("texts.received").asLong() > 0, again.stdout());
            assertEquals(after.path("texts.candidates").asLong() - before.path("texts.candidates").asLong(),
                    second.path("candidates").asLong(), "candidates this run against the books: " + again.stdout());
            assertEquals(after.path("contrast-sets.batched").asLong()
                            - before.path("contrast-sets.batched").asLong(), second.path("joined").asLong(),
                    "contrast sets this run against the books: " + again.stdout());
        } finally {
            Directories.deleteRecursively(work);
        }
    }

    private static void assertNoErrors(Run run) {
        List<String> errors = run.stderr().stream().filter(l -> l.contains(" ERROR ") || l.startsWith("ERROR"))
                .toList();
        assertTrue(errors.isEmpty(), "ERROR lines:\n" + String.join("\n", errors));
    }

    /** Runs groot; with {@code stopAfterTexts} > 0, sends SIGTERM once that many texts were sent. */
    private static Run run(List<String> arguments, int stopAfterTexts) throws Exception {
        Process process = new ProcessBuilder(GrootProcess.command(arguments)).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> stderr = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            boolean signalled = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                stderr.add(line);
                Matcher sent = TEXTS_SENT.matcher(line);
                if (!signalled && stopAfterTexts > 0 && sent.find() && Integer.parseInt(sent.group(1)) >= stopAfterTexts) {
                    process.toHandle().destroy();  // SIGTERM; Process.destroy() would close our end of the pipes
                    signalled = true;
                }
            }
        }
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "groot did not stop");
        String out = stdout.get(10, TimeUnit.SECONDS);
        assertNotNull(out);
        return new Run(process.exitValue(), out.trim(), stderr);
    }
}
