package io.groot.ops.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Prometheus configuration and alerting rules in ops/prometheus load, and the rules fire (and stay quiet) as
 * alerts-test.yml says, under Prometheus' own rule tester. LoopMetricsTest checks that the metrics they query are
 * served.
 */
class AlertRulesTest {

    @Test
    void theConfigurationAndTheRulesLoad() throws Exception {
        assertPromtool("check", "config", "prometheus/prometheus.yml");
    }

    @Test
    void eachAlertFiresWhenItsUnitTestSaysAndOnlyThen() throws Exception {
        assertPromtool("test", "rules", "prometheus/alerts-test.yml");
    }

    private static void assertPromtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("promtool is missing: ops/bin/install-test-deps installs Debian's prometheus package, which has it ("
                    + e.getMessage() + ")");
            return;
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    }
}
