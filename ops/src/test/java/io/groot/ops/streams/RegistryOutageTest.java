package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.common.FailureBackoff;
import io.groot.streams.common.StreamThreadFailureHandler;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A schema registry that goes down while the streams application runs, on the real broker and the real registry
 * server: records that cannot be read until it is back wait for it. They are good records, and dead-lettering them
 * as malformed would lose them.
 */
class RegistryOutageTest {
    private static final List<String> REFERENCE = List.of("O", "O", "B-city", "I-city", "O", "B-city");
    private static final int REQUESTS = 5;

    @Test
    void recordsReadWhileTheRegistryIsDownWaitForItInsteadOfBeingDeadLettered(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
        SchemaRegistryServer server = SchemaRegistryServer.start(schemas, 0);
        int port = URI.create(server.url()).getPort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "outage", 1,
                     FeedbackOrderPropertyTest.config(), new RestSchemaRegistry(server.url()))) {
            // The instance's own registry client: it has looked nothing up that the test's producer wrote.
            loop.startInstance("only", new GrootSerdes(new RestSchemaRegistry(server.url())),
                    new StreamThreadFailureHandler(StreamThreadFailureHandler.DEFAULT_MAX_IN_A_ROW));
            long t = System.currentTimeMillis();
            // One bad record while the registry is up: the instance now knows the dead-letter schema's id, so a
            // good record taken for malformed during the outage could be dead-lettered.
            loop.send(loop.topics.texts(), "t-garbage", "not avro".getBytes(StandardCharsets.UTF_8), t);
            loop.flush();
            loop.awaitAccount("the bad record dead-lettered", a -> a.get(Accounting.TEXTS_DEAD_LETTERED) == 1,
                    Duration.ofSeconds(60));
            List<byte[]> texts = new ArrayList<>();
            List<byte[]> feedback = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                texts.add(loop.text("r" + i, StreamsLoop.TOKENS, t + i));
                feedback.add(loop.reward(RewardEvent.newBuilder().setRequestId("r" + i).setEventId("e" + i)
                        .setSource("test").setEventTime(Instant.now()).setReferenceLabels(REFERENCE).build()));
            }

            server.close();
            for (int i = 0; i < REQUESTS; i++) {
                loop.send(loop.topics.texts(), "r" + i, texts.get(i), t + i);
                loop.send(loop.topics.rewards(), "r" + i, feedback.get(i), t + i);
            }
            loop.flush();
            Thread.sleep(3_000); // the instance meets the outage
            server = SchemaRegistryServer.start(schemas, port);

            LoopAccount books = loop.awaitAccount("every request joined after the outage",
                    a -> a.get(Accounting.REWARDS_JOINED) == REQUESTS, Duration.ofSeconds(120));
            assertEquals(REQUESTS, books.get(Accounting.TEXTS_CANDIDATES));
            assertEquals(1, books.get(Accounting.TEXTS_DEAD_LETTERED), "only the bad record is a dead letter");
            assertEquals(0, books.get(Accounting.REWARDS_DEAD_LETTERED));
            assertEquals(List.of("malformed-record"), loop.deadLetters().stream().map(DeadLetter::getReason).toList());
        } finally {
            server.close();
        }
    }

    @Test
    void aRegistryThatStaysDownShutsTheInstanceDownOnceItsThreadFailedMoreTimesInARowThanAllowed(@TempDir Path work)
            throws Exception {
        SchemaRegistryServer server = SchemaRegistryServer.start(new InMemorySchemaRegistry(), 0);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "down", 1,
                     FeedbackOrderPropertyTest.config(), new RestSchemaRegistry(server.url()))) {
            GrootStreamsApp app = loop.startInstance("only", new GrootSerdes(new RestSchemaRegistry(server.url())),
                    new StreamThreadFailureHandler(new FailureBackoff(Duration.ofMillis(100), Duration.ofMillis(100),
                            Duration.ofMinutes(5)), 2));
            long t = System.currentTimeMillis();
            byte[] text = loop.text("r0", StreamsLoop.TOKENS, t);
            server.close();
            loop.send(loop.topics.texts(), "r0", text, t);
            loop.flush();

            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (app.streams().state() != KafkaStreams.State.ERROR && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(KafkaStreams.State.ERROR, app.streams().state(),
                    "two replacements allowed, the third failure shuts the instance down");
            LoopAccount books = loop.account();
            assertEquals(0, books.get(Accounting.TEXTS_DEAD_LETTERED), "the text waits: " + books.counts());
            assertEquals(0, books.get(Accounting.TEXTS_CANDIDATES));
        } finally {
            server.close();
        }
    }
}
