package io.groot.trainer.model.context;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM whose command line is too long for onnxruntime (the build's test classpath spelled out is) gets a clear
 * error instead of a SIGSEGV; the same JVM started with its options in an argument file loads the encoder.
 */
class CommandLineGuardTest {

    /** Run in the child JVM: loads the encoder and encodes one sentence. */
    public static void main(String[] args) {
        List<float[]> vectors = ContextEncoders.named(ContextEncoders.MINILM).encoder()
                .encode(List.of(List.of("fly", "to", "boston")));
        System.out.println("encoded " + vectors.size() + " sentence");
    }

    private static Result child(List<String> javaArguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(javaArguments);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        return new Result(child.exitValue(), output);
    }

    private record Result(int exit, String output) {
    }

    @Test
    void aCommandLineTooLongForOnnxruntimeFailsWithAClearErrorAndAnArgumentFileWorks(@TempDir Path dir)
            throws IOException, InterruptedException {
        String classpath = System.getProperty("java.class.path");
        List<String> options = List.of("-Dai.djl.offline=true", "-Djna.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", classpath + ":" + "x".repeat(CommandLineGuard.LIMIT)); // too long on any machine
        List<String> spelledOut = new ArrayList<>(options);
        spelledOut.add(CommandLineGuardTest.class.getName());
        Result tooLong = child(spelledOut);
        assertEquals(1, tooLong.exit(), "exit 139 is onnxruntime's SIGSEGV:\n" + tooLong.output());
        assertTrue(tooLong.output().contains("onnxruntime's native library crashes (SIGSEGV) above"),
                tooLong.output());

        Path argfile = dir.resolve("java-options");
        // An argument file's lines are options; quoted, so the classpath may hold anything.
        Files.writeString(argfile, String.join("\n", options.stream().map(o -> "\"" + o + "\"").toList()) + "\n");
        Result short_ = child(List.of("@" + argfile, CommandLineGuardTest.class.getName()));
        assertEquals(0, short_.exit(), short_.output());
        assertTrue(short_.output().contains("encoded 1 sentence"), short_.output());
    }

    @Test
    void theLimitIsWhereOnnxruntimeStopsWorking() {
        CommandLineGuard.check(CommandLineGuard.LIMIT);
        assertThrows(IllegalStateException.class, () -> CommandLineGuard.check(CommandLineGuard.LIMIT + 1));
    }
}
