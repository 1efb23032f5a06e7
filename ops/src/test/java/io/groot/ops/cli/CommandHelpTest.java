package io.groot.ops.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command the usage lists answers {@code --help} with its own options, and exits 0. */
class CommandHelpTest {

    /** The commands named in the overview's list ("  name  description" lines, up to "help"). */
    private static List<String> listedCommands() {
        String usage = Groot.helpFor(new String[0]);
        String list = usage.substring(usage.indexOf("commands:"), usage.indexOf("\n  help "));
        Matcher m = Pattern.compile("(?m)^  ([a-z-]+)").matcher(list);
        List<String> commands = new ArrayList<>();
        while (m.find()) {
            commands.add(m.group(1));
        }
        return commands;
    }

    @Test
    void everyListedCommandHasItsOwnUsage() {
        List<String> commands = listedCommands();
        assertTrue(commands.size() >= 12, "commands parsed from the overview: " + commands);
        assertEquals(commands.stream().sorted().toList(),
                Groot.USAGE_BY_COMMAND.keySet().stream().sorted().toList());
        for (String command : commands) {
            String help = Groot.helpFor(new String[]{command, "--help"});
            assertTrue(help.startsWith("usage: groot " + command), help);
            assertTrue(help.contains("\n\n" + command + " ") && help.contains(" options"), help);
            assertEquals(help, Groot.helpFor(new String[]{"help", command}));
            assertEquals(help, Groot.helpFor(new String[]{command, "--bootstrap-servers", "x:9092", "-h"}));
        }
    }

    @Test
    void noHelpWhenNoneIsAskedFor() {
        assertNull(Groot.helpFor(new String[]{"bench", "--stages", "inference"}));
    }

    @Test
    void helpExitsZeroInItsOwnJvm() throws Exception {
        // "bench --help" used to fail: --help was read as an option needing a value.
        Process process = new ProcessBuilder(GrootProcess.command(List.of("bench", "--help")))
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        assertTrue(out.contains("--stages"), out);
    }
}
