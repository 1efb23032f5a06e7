package io.groot.ops.bench;

import io.groot.ops.cli.Groot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code groot} command in a JVM of its own, on this JVM's classpath and with the launcher's settings (DJL
 * offline, one PyTorch thread), its output in a log file: the loop benchmark runs each component as a process, as
 * an operator would, so that each one's CPU is its own.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, String heap, List<String> grootArguments, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        // The JVM's options go in an argument file: onnxruntime crashes in a process whose command line is over
        // about 4 KB, which the classpath spelled out is (see CommandLineGuard).
        List<String> options = List.of("-Xmx" + heap, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Djna.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"));
        Path argfile = logDir.resolve(name + ".jvm-options");
        Files.writeString(argfile, String.join("\n", options.stream().map(o -> "\"" + o + "\"").toList()) + "\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "@" + argfile, Groot.class.getName()));
        command.addAll(grootArguments);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ChildJvm(name, process, log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits until a line of the log matches {@code pattern}; fails if the process exits or the time runs out. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Matcher> found = Files.readAllLines(log).stream().map(pattern::matcher).filter(Matcher::find)
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing "
                        + pattern + "; its log: " + log);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " printed no " + pattern + " within " + timeout + "; its log: " + log);
    }

    /** Waits for a command that runs to its end; fails unless it exits 0. */
    void awaitSuccess(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not finish within " + timeout + "; its log: " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with " + process.exitValue() + "; its log: " + log);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, which every groot service handles by closing cleanly; SIGKILL after 60 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
