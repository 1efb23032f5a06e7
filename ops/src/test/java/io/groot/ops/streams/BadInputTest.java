package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.status.LoopStatus;
import io.groot.schemas.CandidateReward;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TopicReader;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.common.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input, on the real broker: each lands in the dead-letter topic with its original bytes and
 * its reason (in the record and in headers), the books balance, and good records after it still train.
 */
class BadInputTest {
    private static final List<String> TOKENS = List.of("fly", "to", "boston");
    private static final List<String> REFERENCE = List.of("O", "O", "B-city");

    @Test
    void eachKindOfBadInputIsDeadLetteredWithItsReasonAndTheLoopGoesOn(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, "bad", 1,
                     FeedbackOrderPropertyTest.config(), new InMemorySchemaRegistry())) {
            loop.startInstance("only");
            long t = System.currentTimeMillis();
            Map<String, byte[]> expected = new HashMap<>(); // key -> bytes that must come back as a dead letter
            Map<String, String> reasons = new HashMap<>();
            byte[] unknownSchema = {0, 0, 0, 0x7f, 0x7f, 2, 'x'};

            text(loop, expected, reasons, "t-garbage", "not avro".getBytes(StandardCharsets.UTF_8), "malformed-record", t);
            text(loop, expected, reasons, "t-schema", unknownSchema, "unknown-schema", t);
            text(loop, expected, reasons, "t-empty", loop.text("t-empty", List.of(), t), "empty-text", t);
            text(loop, expected, reasons, "t-long", loop.text("t-long", Collections.nCopies(17, "fly"), t),
                    "oversized-text", t);
            text(loop, expected, reasons, "t-mismatch", loop.text("someone-else", TOKENS, t), "key-mismatch", t);
            text(loop, expected, reasons, "t-null", null, "tombstone", t);
            text(loop, expected, reasons, "t-blank", loop.text("t-blank", List.of("fly", ""), t), "empty-token", t);
            text(loop, expected, reasons, "t-bigtoken", loop.text("t-bigtoken", List.of("x".repeat(400_000)), t),
                    "oversized-token", t);
            text(loop, expected, reasons, "t-bigtext", loop.serdes.texts().serialize(loop.topics.texts(),
                    io.groot.schemas.TextEvent.newBuilder().setRequestId("t-bigtext").setText("y".repeat(600_000))
                            .setTokens(TOKENS).setEventTime(Instant.ofEpochMilli(t)).build()), "oversized-text", t);
            byte[] keyless = loop.text("t-keyless", TOKENS, t);
            loop.send(loop.topics.texts(), null, keyless, t);

            sendText(loop, "r", t);
            reward(loop, expected, reasons, "r-garbage", new byte[]{9, 9, 9}, "malformed-record", t);
            reward(loop, expected, reasons, "r-schema", unknownSchema, "unknown-schema", t);
            reward(loop, expected, reasons, "r-length", feedback(loop, "r", "length", List.of("O"), null),
                    "label-count-mismatch", t);
            reward(loop, expected, reasons, "r-label", feedback(loop, "r", "label",
                    List.of("O", "O", "B-planet"), null), "unknown-label", t);
            reward(loop, expected, reasons, "r-nan", feedback(loop, "r", "nan", null,
                    List.of(new CandidateReward(1, Double.NaN))), "invalid-reward", t);
            reward(loop, expected, reasons, "r-range", feedback(loop, "r", "range", null,
                    List.of(new CandidateReward(1, 1.5))), "invalid-reward", t);
            reward(loop, expected, reasons, "r-rank", feedback(loop, "r", "rank", null,
                    List.of(new CandidateReward(99, 0.5))), "unknown-candidate", t);
            reward(loop, expected, reasons, "r-both", feedback(loop, "r", "both", REFERENCE,
                    List.of(new CandidateReward(1, 0.5))), "ambiguous-feedback", t);
            reward(loop, expected, reasons, "r-none", feedback(loop, "r", "none", null, null), "empty-feedback", t);
            reward(loop, expected, reasons, "r-mismatch", feedback(loop, "someone-else", "mismatch", REFERENCE, null),
                    "key-mismatch", t);
            reward(loop, expected, reasons, "r-null", null, "tombstone", t);
            loop.send(loop.topics.rewards(), null, feedback(loop, "r", "keyless", REFERENCE, null), t);
            loop.flush();

            // After all that, good input still flows and trains.
            sendText(loop, "good", t + 1);
            loop.send(loop.topics.rewards(), "good", feedback(loop, "good", "good", REFERENCE, null), t + 2);
            loop.flush();

            LoopAccount books = loop.awaitAccount("the good feedback joined and batched",
                    a -> a.get(Accounting.REWARDS_JOINED) == 1 && a.get(Accounting.CONTRAST_SETS_BATCHED) == 1
                            && a.rewardsPending() == 0 && a.get(Accounting.TEXTS_RECEIVED) == 12,
                    Duration.ofSeconds(60));
            List<ContrastSet> trained = loop.trainingBatches().stream()
                    .flatMap(b -> b.getContrastSets().stream()).toList();
            assertEquals(List.of("good"), trained.stream().map(ContrastSet::getRequestId).toList());

            Map<String, String> seenReasons = new HashMap<>();
            List<String> keylessReasons = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : TopicReader.readCommittedRecords(loop.client,
                    List.of(loop.topics.deadLetters()), new StringDeserializer(), new ByteArrayDeserializer())) {
                DeadLetter letter = loop.serdes.deadLetters().deserialize(record.topic(), record.value());
                String header = new String(record.headers().lastHeader(DeadLetters.REASON_HEADER).value(),
                        StandardCharsets.UTF_8);
                assertEquals(letter.getReason(), header, "the reason is in the headers too");
                assertNotNull(letter.getError());
                if (record.key() == null) {
                    keylessReasons.add(letter.getReason());
                    continue;
                }
                String key = record.key().equals("r") ? "r-" + eventIdOf(loop, letter) : record.key();
                seenReasons.put(key, letter.getReason());
                assertArrayEquals(expected.get(key), bytes(letter.getOriginalValue()), "original bytes of " + key);
                assertEquals(letter.getSourceTopic(), key.startsWith("t-") ? loop.topics.texts()
                        : loop.topics.rewards(), "source of " + key);
            }
            assertEquals(reasons, seenReasons);
            assertEquals(List.of("missing-key", "missing-key"), keylessReasons);

            assertEquals(0, books.textsAwaitingInference());
            assertEquals(10, books.get(Accounting.TEXTS_DEAD_LETTERED));
            assertEquals(12, books.get(Accounting.REWARDS_DEAD_LETTERED));
            assertEquals(2, books.get("rewards.dead-lettered.invalid-reward"));

            // groot status counts the dead-letter topic by the reasons in the headers: as the books do.
            Map<String, Long> booked = new TreeMap<>();
            String infix = ".dead-lettered.";
            books.deadLettersByReason().forEach((counter, n) ->
                    booked.merge(counter.substring(counter.indexOf(infix) + infix.length()), n, Long::sum));
            LoopStatus status = LoopStatus.read(loop.client, loop.applicationId, "no-trainer", loop.topics,
                    StreamsLoop.MODEL, null, Duration.ofSeconds(30));
            assertEquals(booked, status.deadLetterTopic().byReason());
            assertTrue(status.deadLetterTopic().complete());
            assertTrue(status.render().contains("dead-letter topic " + booked), status.render());
        }
    }

    private static void text(StreamsLoop loop, Map<String, byte[]> expected, Map<String, String> reasons,
                             String key, byte[] bytes, String reason, long time) {
        expected.put(key, bytes);
        reasons.put(key, reason);
        loop.send(loop.topics.texts(), key, bytes, time);
    }

    /** Bad feedback keyed by its own id, except the ones that must reach the join (keyed by request "r"). */
    private static void reward(StreamsLoop loop, Map<String, byte[]> expected, Map<String, String> reasons,
                               String name, byte[] bytes, String reason, long time) {
        expected.put(name, bytes);
        reasons.put(name, reason);
        boolean parses = !name.equals("r-garbage") && !name.equals("r-schema") && !name.equals("r-null");
        loop.send(loop.topics.rewards(), parses ? "r" : name, bytes, time);
    }

    private static void sendText(StreamsLoop loop, String key, long time) {
        loop.send(loop.topics.texts(), key, loop.text(key, TOKENS, time), time);
    }

    private static byte[] feedback(StreamsLoop loop, String request, String eventId, List<String> labels,
                                   List<CandidateReward> scalars) {
        return loop.reward(RewardEvent.newBuilder().setRequestId(request).setEventId(eventId).setSource("test")
                .setEventTime(Instant.now()).setReferenceLabels(labels).setScalarRewards(scalars).build());
    }

    private static String eventIdOf(StreamsLoop loop, DeadLetter letter) {
        return loop.serdes.rewards().deserialize(loop.topics.rewards(), bytes(letter.getOriginalValue()))
                .getEventId();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
