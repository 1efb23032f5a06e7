package io.groot.ops.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a {@code groot} command in a JVM of its own, on the tests' classpath, as an operator runs it. */
public final class GrootProcess {
    private GrootProcess() {
    }

    public static List<String> command(List<String> grootArguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Groot.class.getName()));
        command.addAll(grootArguments);
        return command;
    }
}
