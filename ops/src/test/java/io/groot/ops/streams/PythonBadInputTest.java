package io.groot.ops.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.accounting.LoopAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input sent from Python (librdkafka, its default partitioner, the Confluent wire format): every row of
 * {@code src/test/python/bad_input.py} must end as its row says (dead letter with this reason, candidates, joined
 * once, refused to the producer), and the books must balance and agree with the rows. The table it prints is
 * docs/BAD-INPUT.md; it is also written to {@code target/bad-input.md}.
 */
class PythonBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyKindOfBadInputFromPythonEndsAsItsRowSaysAndTheBooksBalance(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Path script = Path.of("src/test/python/bad_input.py").toAbsolutePath();
        // A short window, so that the reward whose text never comes is dead-lettered within the test.
        LoopConfig config = new LoopConfig(StreamsLoop.MODEL, 3, 16, Duration.ofSeconds(20), Duration.ofSeconds(2),
                "f1", 2, 16, Duration.ofMillis(500));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             SchemaRegistryServer server = SchemaRegistryServer.start(registry, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work.resolve("loop"), "bad", 3, config,
                     registry)) {
            new GrootSerdes(registry).registerValueSchemas(loop.topics);
            loop.startInstance("i0");
            JsonNode result = PythonClientTest.run("python bad input", List.of(PythonClientTest.python(),
                    script.toString(), "--bootstrap", broker.bootstrapServers(), "--registry", server.url(),
                    "--prefix", "bad.", "--timeout", "120"), Duration.ofSeconds(200));

            List<String> wrong = new ArrayList<>();
            Map<String, Long> deadByReason = new TreeMap<>();
            StringBuilder table = new StringBuilder("| # | topic | input | expected | observed |\n|---|---|---|---|---|\n");
            int n = 0;
            for (JsonNode row : result.path("rows")) {
                String expected = row.path("expected").asText();
                String observed = row.path("observed").asText();
                table.append(String.format("| %d | %s | %s | %s | %s |%n", ++n, row.path("topic").asText()
                        .replace("bad.", ""), row.path("kind").asText(), expected, observed));
                if (!expected.equals(observed)) {
                    wrong.add(row.path("kind").asText() + " on " + row.path("topic").asText() + ": expected "
                            + expected + ", observed " + observed);
                }
                if (observed.startsWith("dead letter ")) {
                    String prefix = row.path("topic").asText().endsWith("texts") ? "texts" : "rewards";
                    deadByReason.merge(prefix + ".dead-lettered." + observed.substring("dead letter ".length()), 1L,
                            Long::sum);
                }
            }
            System.out.print(table);
            Files.writeString(Path.of("target/bad-input.md"), table);
            assertTrue(n >= 30, "the table has " + n + " rows");
            assertEquals(List.of(), wrong);

            LoopAccount books = loop.awaitAccount("every record settled", a -> a.rewardsPending() == 0
                    && a.candidatesAwaiting() == 0 && a.textsAwaitingInference() == 0, Duration.ofSeconds(60));
            assertEquals(result.path("sent").path("texts").asLong(), books.get(Accounting.TEXTS_RECEIVED),
                    books.counts().toString());
            assertEquals(result.path("sent").path("rewards").asLong(), books.get(Accounting.REWARDS_RECEIVED),
                    books.counts().toString());
            assertEquals(deadByReason, books.deadLettersByReason(), books.counts().toString());
        }
    }
}
