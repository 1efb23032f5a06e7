package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.cli.GrootProcess;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.Accounting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults mid-stream, on the real broker: afterwards the books still balance exactly and every feedback event is
 * in the training batches exactly once (nothing lost, nothing duplicated), by exactly-once processing alone.
 */
class FaultToleranceTest {

    @Test
    void brokerStoppedAndRestartedMidStream(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "restart", 2,
                     FeedbackOrderPropertyTest.config(), new InMemorySchemaRegistry())) {
            loop.startInstance("only");
            FeedbackScenario scenario = FeedbackScenario.random(21, 80, System.currentTimeMillis(),
                    FeedbackOrderPropertyTest.WINDOW.toMillis(), loop);
            int half = scenario.sends.size() / 2;
            scenario.sendRange(loop, 0, half);
            loop.awaitAccount("some progress", a -> a.get(Accounting.CANDIDATES_RECEIVED) >= 5,
                    Duration.ofSeconds(60));

            System.err.println("books when the broker stops: " + loop.account().counts());
            broker.restart();

            scenario.sendRange(loop, half, scenario.sends.size());
            scenario.assertAccountedFor(loop);
        }
    }

    @Test
    void streamsInstanceKilledAndReplacedMidStream(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             SchemaRegistryServer registryServer = SchemaRegistryServer.start(registry, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "kill", 2,
                     FeedbackOrderPropertyTest.config(), registry)) {
            FeedbackScenario scenario = FeedbackScenario.random(22, 80, System.currentTimeMillis(),
                    FeedbackOrderPropertyTest.WINDOW.toMillis(), loop);
            Process first = startChild(loop, broker, registryServer, "first");
            int part = scenario.sends.size() * 2 / 3;
            scenario.sendRange(loop, 0, part);
            loop.awaitAccount("some progress", a -> a.get(Accounting.CANDIDATES_RECEIVED) >= 5,
                    Duration.ofSeconds(90));

            System.err.println("books when the instance is killed: " + loop.account().counts());
            first.destroyForcibly().waitFor(); // SIGKILL: no clean shutdown, open transactions left behind

            scenario.sendRange(loop, part, scenario.sends.size());
            Process replacement = startChild(loop, broker, registryServer, "replacement");
            try {
                scenario.assertAccountedFor(loop);
            } finally {
                replacement.destroy();
                replacement.waitFor();
            }
        }
    }

    @Test
    void aStreamsProcessWhoseThreadsKeepFailingExitsWithAnErrorForItsSupervisor(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "down", 1,
                     FeedbackOrderPropertyTest.config(), registry)) {
            Process process;
            try (SchemaRegistryServer registryServer = SchemaRegistryServer.start(registry, 0)) {
                process = startChild(loop, broker, registryServer, "down", "--max-thread-failures", "1");
            }
            // The registry is gone: the process has never read a text, so it cannot decode one.
            long t = System.currentTimeMillis();
            loop.send(loop.topics.texts(), "r0", loop.text("r0", StreamsLoop.TOKENS, t), t);
            loop.flush();
            boolean exited = process.waitFor(120, TimeUnit.SECONDS);
            String log = Files.readString(loop.work().resolve("down.log"));
            if (!exited) {
                process.destroyForcibly().waitFor();
                fail("groot streams did not exit after its stream thread failed twice:\n" + log);
            }
            assertNotEquals(0, process.exitValue(), log);
            assertTrue(log.contains("Kafka Streams stopped on its own (state ERROR)"), log);
        }
    }

    /** A separate JVM running {@code groot streams}, as an operator would start it, with a fresh state dir. */
    private static Process startChild(StreamsLoop loop, EmbeddedKafkaBroker broker, SchemaRegistryServer registry,
                                      String name, String... extraOptions) throws IOException, InterruptedException {
        LoopConfig c = loop.config();
        Path log = loop.work().resolve(name + ".log");
        List<String> command = GrootProcess.command(List.of(
                "streams", "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry", registry.url(),
                "--artifacts", loop.artifactsDir().toString(), "--state-dir", loop.work().resolve("state-" + name)
                        .toString(), "--application-id", loop.applicationId, "--topic-prefix",
                loop.topics.texts().substring(0, loop.topics.texts().indexOf('.') + 1), "--model", c.modelName(),
                "--k", Integer.toString(c.beamWidth()), "--max-tokens", Integer.toString(c.maxTokens()),
                "--window-ms", Long.toString(c.rewardWindow().toMillis()),
                "--grace-ms", Long.toString(c.grace().toMillis()), "--reward", c.rewardFunction(),
                "--max-corrections", Integer.toString(c.maxCorrections()),
                "--batch-size", Integer.toString(c.batchSize()),
                "--batch-max-wait-ms", Long.toString(c.batchMaxWait().toMillis()),
                // A dead member is noticed within seconds rather than the default 45 s.
                "--kafka", "consumer.session.timeout.ms=6000", "--kafka", "consumer.heartbeat.interval.ms=1000",
                // Commits seconds apart: a kill always leaves processed but uncommitted work behind.
                "--kafka", "commit.interval.ms=3000"));
        command.addAll(List.of(extraOptions));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.readString(log).contains("streams instance of")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                fail("groot streams (" + name + ") did not start:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return process;
    }
}
