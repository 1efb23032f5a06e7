package io.groot.ops.metrics;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.streams.FeedbackOrderPropertyTest;
import io.groot.ops.status.LoopStatus;
import io.groot.ops.streams.StreamsLoop;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.accounting.Accounting;
import io.groot.trainer.service.StreamingTrainer;
import io.groot.trainer.service.TrainerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus endpoints of a streams instance and of the trainer on the real broker, scraped over HTTP, and what
 * {@code groot status} reads of the same loop.
 */
class LoopMetricsTest {

    @Test
    void theBooksTheServingVersionAndKafkaClientMetricsAreScrapedAndStatusSeesTheTrainersBacklog(@TempDir Path work)
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "metrics", 1,
                     FeedbackOrderPropertyTest.config(), new InMemorySchemaRegistry())) {
            GrootStreamsApp app = loop.startInstance("only");
            long now = System.currentTimeMillis();
            for (int i = 0; i < 5; i++) {
                loop.send(loop.topics.texts(), "r" + i, loop.text("r" + i, List.of("fly", "to", "boston"), now), now);
            }
            loop.send(loop.topics.rewards(), "r0", loop.reward(RewardEvent.newBuilder().setRequestId("r0")
                    .setEventId("e0").setSource("test").setEventTime(Instant.ofEpochMilli(now))
                    .setReferenceLabels(List.of("O", "O", "B-city")).build()), now + 1);
            loop.flush();
            loop.awaitAccount("the feedback joined", a -> a.get(Accounting.REWARDS_JOINED) == 1
                    && a.get(Accounting.CANDIDATES_RECEIVED) == 5, Duration.ofSeconds(60));

            loop.awaitAccount("the contrast set batched", a -> a.get(Accounting.CONTRAST_SETS_BATCHED) == 1,
                    Duration.ofSeconds(60));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(loop.client(), new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(loop.topics.trainingBatches(), "garbage", new byte[]{1, 2, 3}));
            }

            try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0);
                 MetricsEndpoint trainerEndpoint = MetricsEndpoint.start("127.0.0.1", 0);
                 StreamingTrainer trainer = new StreamingTrainer(loop.client(), loop.topics, loop.serdes(),
                         loop.artifacts(), TrainerConfig.defaults("slots"),
                         TrainerMetrics.clientMeters(trainerEndpoint, "slots"))) {
                endpoint.closing(LoopMetrics.bind(endpoint.registry(), app, "slots"));
                TrainerMetrics.bind(trainerEndpoint.registry(), trainer, "slots");
                Thread trainerThread = new Thread(trainer, "metrics-trainer");
                trainerThread.start();
                System.gc(); // a gauge whose source only it holds, weakly, reads NaN from here on
                String body = scrapeWithBooks(endpoint);
                assertEquals(5.0, value(body, "groot_books\\{counter=\"texts.received\"\\}"));
                assertEquals(1.0, value(body, "groot_books\\{counter=\"rewards.joined\"\\}"));
                assertTrue(value(body, "groot_join_correction_cpu_seconds_total") > 0, "the correct step's CPU");
                assertEquals(4.0, value(body, "groot_candidates_awaiting"));
                assertEquals(1.0, value(body, "groot_serving_version\\{model=\"slots\"\\}"));
                assertTrue(body.matches("(?s).*kafka_stream_groot_records_total\\{[^}]*groot_id=\""
                        + Accounting.TEXTS_RECEIVED.replace(".", "\\.") + "\".*"), "the books as Kafka Streams metrics");
                assertTrue(body.contains("kafka_stream_thread_process_rate"), "Kafka Streams' own metrics");
                // In-memory and RocksDB stores alike (their id tags are named after the store type).
                for (String store : new String[]{"pending-contrast-sets", "inference-buffer", "join-candidates"}) {
                    assertTrue(Pattern.compile("(?m)^kafka_stream_state_get_rate\\{[^}]*state_id=\"" + store + "\"")
                            .matcher(body).find(), "the meters of state store " + store);
                }
                assertTrue(body.contains("jvm_memory_used_bytes"));

                // The trainer reads the set (too few for a version) and the garbage batch, which it dead-letters.
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ((trainer.pendingSets() < 1 || trainer.unreadableBatches() < 1)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                String trainerBody = scrape(trainerEndpoint);
                // Both of its consumers: the training batches' and the rollback follower's.
                Set<String> consumers = Pattern.compile("(?m)^kafka_consumer_[a-z_]+\\{[^}]*client_id=\"([^\"]+)\"")
                        .matcher(trainerBody).results().map(m -> m.group(1)).collect(Collectors.toSet());
                assertEquals(2, consumers.size(), consumers.toString());
                assertEquals(1.0, value(trainerBody, "groot_trainer_sets_pending\\{model=\"slots\"\\}"));
                assertEquals(1.0, value(trainerBody,
                        "groot_trainer_batches_unreadable_total\\{model=\"slots\"\\}"));
                assertEquals(0.0, value(trainerBody,
                        "groot_trainer_versions_published_total\\{model=\"slots\"\\}"));
                // Its clients' own metrics: the consumer's lag (per-partition lag is bound at Micrometer's next
                // refresh, within a minute) and the transactional producer's.
                assertTrue(value(trainerBody, "kafka_consumer_fetch_manager_records_lag_max\\{[^}]*model=\"slots\""
                        + "[^}]*\\}") >= 0, "the consumer's lag");
                assertTrue(value(trainerBody, "kafka_producer_txn_init_time_ns_total\\{[^}]*model=\"slots\""
                        + "[^}]*\\}") > 0, "the transactional producer's metrics");

                // Nothing is committed past the two batches until a version is published with their offsets: three
                // offsets behind, the batch, its transaction's commit marker and the garbage.
                assertTrue(LoopStatus.clusterAnswers(loop.client(), Duration.ofSeconds(10)));
                LoopStatus status = LoopStatus.read(loop.client(), loop.applicationId(),
                        TrainerConfig.defaults("slots").groupId(), loop.topics, "slots", loop.serdes(),
                        Duration.ofSeconds(30));
                assertEquals(Map.of(loop.topics.trainingBatches(), 3L), status.trainerLag());
                assertEquals(5, status.account().get(Accounting.TEXTS_RECEIVED));
                assertEquals(List.of(1L), status.versions().stream().map(v -> v.getVersion()).toList());
                assertTrue(status.render().contains("trainer lag {" + loop.topics.trainingBatches() + "=3}"),
                        status.render());
                trainer.close();
                trainerThread.join(30_000);
                // Every meter reached the registry: a refused one would be missing from every scrape.
                assertEquals(List.of(), endpoint.refusedMeters());
                assertEquals(List.of(), trainerEndpoint.refusedMeters());
                servesEveryMetricIn(Path.of("grafana", "groot-dashboard.json"), body + trainerBody, 10);
                servesEveryMetricIn(Path.of("prometheus", "alerts.yml"), body + trainerBody, 8);
            }
        }
    }

    /**
     * Every metric {@code queries} (the Grafana dashboard, the alerting rules) asks for is one the endpoints serve: no
     * panel is silently empty, no alert silently never fires.
     */
    private static void servesEveryMetricIn(Path queries, String body, int atLeast) throws Exception {
        Matcher names = Pattern.compile("\\b((?:groot|kafka|jvm)_[a-z_]+)").matcher(Files.readString(queries));
        int checked = 0;
        while (names.find()) {
            if (body.contains("," + names.group(1) + "=") || body.contains("{" + names.group(1) + "=")) {
                continue; // a label (groot_id), not a metric
            }
            assertTrue(Pattern.compile("(?m)^" + names.group(1) + "[{ ]").matcher(body).find(),
                    queries + " queries " + names.group(1) + ", which the endpoints do not serve");
            checked++;
        }
        assertTrue(checked >= atLeast, "queries found in " + queries + ": " + checked);
    }

    /**
     * A scrape in which the local books show the five texts. They are read by interactive query, which finds no
     * store while stores move (a rebalance, or a task revived after an aborted transaction), and the books read
     * short until the next read (they are cached for a second).
     */
    private static String scrapeWithBooks(MetricsEndpoint endpoint) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String body = scrape(endpoint);
            if (value(body, "groot_books\\{counter=\"texts.received\"\\}") == 5.0 || System.nanoTime() > deadline) {
                return body;
            }
            Thread.sleep(1_100);
        }
    }

    private static String scrape(MetricsEndpoint endpoint) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint.url()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String body, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(body);
        assertTrue(m.find(), series + " not in the scrape");
        return Double.parseDouble(m.group(1));
    }
}
