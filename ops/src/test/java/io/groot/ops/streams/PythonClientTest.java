package io.groot.ops.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.cli.GrootProcess;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.accounting.Accounting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop fed and read from outside the JVM, as a Python user does: Debian's confluent-kafka (librdkafka, its
 * default partitioner) and avro, the schemas looked up in the embedded registry over REST, the Confluent wire format
 * both ways. Every reward whose text was accepted joins; the books ({@code groot status --json}) balance.
 * {@code ops/bin/install-test-deps} installs the Python packages; without them this test fails and says so.
 */
class PythonClientTest {
    private static final int REQUESTS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Runs a client to its end; fails with its output if it fails; returns the JSON of its last line. */
    static JsonNode run(String label, List<String> command, Duration timeout)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), "timed out: " + command);
        String stdout = new String(out, StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), command + " failed (ops/bin/install-test-deps installs Debian's "
                + "python3-confluent-kafka and python3-avro):\n" + err + stdout);
        System.out.println(label + ": " + stdout);
        return JSON.readTree(stdout.substring(stdout.lastIndexOf('\n') + 1));
    }

    @Test
    void aPythonProducerAndConsumerUseTheLoopAndEveryRewardJoins(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Path script = Path.of("src/test/python/loop_client.py").toAbsolutePath();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             SchemaRegistryServer server = SchemaRegistryServer.start(registry, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work.resolve("loop"), "py", 3,
                     FeedbackOrderPropertyTest.config(), registry)) {
            new GrootSerdes(registry).registerValueSchemas(loop.topics);  // as groot topics --schema-registry does
            loop.startInstance("i0");
            List<String> common = List.of("--bootstrap", broker.bootstrapServers(), "--registry", server.url(),
                    "--prefix", "py.");

            List<String> produce = new ArrayList<>(List.of(python(), script.toString(), "produce",
                    "--count", Integer.toString(REQUESTS)));
            produce.addAll(common);
            JsonNode produced = run("python produce", produce, Duration.ofSeconds(120));
            assertEquals(REQUESTS, produced.path("rewards").asInt());
            // librdkafka's partitioner must have put some rewards where Java's would not, or this tests nothing.
            assertTrue(produced.path("rewardsNotInJavasPartition").asInt() >= REQUESTS / 3, produced.toString());

            List<String> consume = new ArrayList<>(List.of(python(), script.toString(), "consume",
                    "--candidates", Integer.toString(REQUESTS), "--contrast-sets", Integer.toString(REQUESTS),
                    "--timeout", "90"));
            consume.addAll(common);
            JsonNode consumed = run("python consume", consume, Duration.ofSeconds(150));
            assertEquals(REQUESTS, consumed.path("records").path("py.candidates").asInt(), consumed.toString());
            assertEquals(REQUESTS, consumed.path("contrastSets").asInt(), consumed.toString());
            assertTrue(consumed.path("records").path("py.model-versions").asInt() >= 1, consumed.toString());
            assertEquals(0, consumed.path("records").path("py.dead-letters").asInt(), consumed.toString());

            List<String> status = GrootProcess.command(List.of("status", "--bootstrap-servers",
                    broker.bootstrapServers(), "--application-id", loop.applicationId(), "--topic-prefix", "py.",
                    "--json"));
            JsonNode books = run("groot status --json", status, Duration.ofSeconds(120)).path("accounting");
            assertEquals(REQUESTS, books.path(Accounting.TEXTS_CANDIDATES).asInt(), books.toString());
            assertEquals(REQUESTS, books.path(Accounting.REWARDS_RECEIVED).asInt(), books.toString());
            assertEquals(REQUESTS, books.path(Accounting.REWARDS_JOINED).asInt(), books.toString());
            assertEquals(REQUESTS, books.path(Accounting.CONTRAST_SETS_BATCHED).asInt(), books.toString());
        }
    }
}
