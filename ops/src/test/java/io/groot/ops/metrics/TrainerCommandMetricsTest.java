package io.groot.ops.metrics;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.cli.GrootProcess;
import io.groot.ops.streams.FeedbackOrderPropertyTest;
import io.groot.ops.streams.StreamsLoop;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code groot trainer --metrics-port} as an operator starts it, in a JVM of its own: its endpoint serves the
 * trainer's meters and its Kafka clients' (LoopMetricsTest checks the same meters in-process, with their values).
 */
class TrainerCommandMetricsTest {

    @Test
    void theTrainerProcessServesItsMetersAndItsKafkaClientsMetrics(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             SchemaRegistryServer registryServer = SchemaRegistryServer.start(registry, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "trainercmd", 1,
                     FeedbackOrderPropertyTest.config(), registry)) {
            Path log = work.resolve("trainer.log");
            Process trainer = new ProcessBuilder(GrootProcess.command(List.of(
                    "trainer", "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry",
                    registryServer.url(), "--artifacts", loop.artifactsDir().toString(), "--topic-prefix",
                    "trainercmd.", "--model", "slots", "--metrics-port", "0")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String url = awaitEndpoint(trainer, log);
                // The producer is opened once the trainer runs: scrape until its meters are there.
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                String body = scrape(url);
                while (!body.contains("kafka_producer_txn_init_time_ns_total") && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    body = scrape(url);
                }
                for (String series : new String[]{"groot_trainer_sets_pending\\{model=\"slots\"\\}",
                        "kafka_consumer_fetch_manager_records_lag_max\\{[^}]*model=\"slots\"",
                        "kafka_producer_txn_init_time_ns_total\\{[^}]*model=\"slots\"", "jvm_memory_used_bytes"}) {
                    assertTrue(Pattern.compile("(?m)^" + series).matcher(body).find(),
                            series + " not served by groot trainer:\n" + Files.readString(log));
                }
            } finally {
                trainer.destroy();
                trainer.waitFor();
            }
        }
    }

    private static String awaitEndpoint(Process process, Path log) throws Exception {
        Pattern announced = Pattern.compile("metrics at (http://\\S+/metrics)");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher m = announced.matcher(Files.readString(log));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        fail("groot trainer did not announce its metrics endpoint:\n" + Files.readString(log));
        return null;
    }

    private static String scrape(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
