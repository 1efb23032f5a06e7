package io.groot.streams;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.Origin;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.LoopCounters;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.Vocabulary;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both topologies with a real (small, untrained) DJL labeler, driven deterministically by TopologyTestDriver. */
class LoopTopologyTest {
    private static final List<String> TOKENS = List.of("fly", "to", "new", "york");
    private static final List<String> REFERENCE = List.of("O", "O", "B-city", "I-city");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Topics topics = Topics.defaults();
    private final GrootSerdes serdes = new GrootSerdes(new InMemorySchemaRegistry());
    private final ServingModel serving = new ServingModel();
    private final LoopCounters counters = new LoopCounters();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> texts;
    private TestInputTopic<String, byte[]> rewards;
    private TestOutputTopic<String, CandidateSet> candidates;
    private TestOutputTopic<String, TrainingBatch> batches;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void start(@TempDir Path state) {
        serving.swap(3, Labeler.create(new LabelerConfig(8, 4, 32, 8, 4, 8, 16, 0f),
                Vocabulary.build(List.of(TOKENS), List.of("B-city", "I-city", "O")), 1));
        LoopConfig config = new LoopConfig("slots", 3, 6, Duration.ofMinutes(5), Duration.ofMinutes(1), "f1", 4, 2,
                Duration.ofSeconds(10));
        driver = new TopologyTestDriver(GrootStreamsApp.topology(topics, serdes, serving, config, counters),
                GrootStreamsApp.streamsProperties(new java.util.Properties() {{
                    put("bootstrap.servers", "unused:9092");
                }}, "topology-test", state, 1), T0);
        texts = driver.createInputTopic(topics.texts(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        rewards = driver.createInputTopic(topics.rewards(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        candidates = driver.createOutputTopic(topics.candidates(), Serdes.String().deserializer(),
                serdes.candidates().deserializer());
        batches = driver.createOutputTopic(topics.trainingBatches(), Serdes.String().deserializer(),
                serdes.trainingBatches().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), Serdes.String().deserializer(),
                serdes.deadLetters().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        serving.close();
    }

    @Test
    void textsBecomeTopKCandidatesStampedWithTheServingVersion() {
        sendText("r1", TOKENS, T0);
        CandidateSet set = candidates.readValue();
        assertEquals("r1", set.getRequestId());
        assertEquals(3L, set.getModelVersion());
        assertEquals(3, set.getCandidates().size());
        assertEquals(List.of(1, 2, 3), set.getCandidates().stream().map(c -> c.getRank()).toList());
        assertEquals(topics.texts(), set.getTextSource().getTopic());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void unusableTextsGoToDeadLettersWithTheirBytesAndReason() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        texts.pipeInput("bad", garbage, T0);
        sendText("empty", List.of(), T0);
        sendText("long", List.of("a", "b", "c", "d", "e", "f", "g"), T0);

        List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(List.of("malformed-record", "empty-text", "oversized-text"),
                letters.stream().map(r -> r.value().getReason()).toList());
        assertEquals("bad", letters.get(0).key());
        assertEquals(java.nio.ByteBuffer.wrap(garbage), letters.get(0).value().getOriginalValue());
        Header reason = letters.get(0).headers().lastHeader(DeadLetters.REASON_HEADER);
        assertEquals("malformed-record", new String(reason.value(), StandardCharsets.UTF_8));
        assertTrue(candidates.isEmpty());

        sendText("ok", TOKENS, T0);
        assertEquals("ok", candidates.readValue().getRequestId(), "the pipeline keeps running");
    }

    @Test
    void feedbackJoinsInEitherOrderOnceAndBatchesBySize() {
        sendReward("early", "e1", REFERENCE, T0);            // feedback before its text
        sendText("early", TOKENS, T0.plusSeconds(1));
        sendText("late", TOKENS, T0.plusSeconds(2));
        sendReward("late", "e2", REFERENCE, T0.plusSeconds(30));
        sendReward("late", "e2", REFERENCE, T0.plusSeconds(31));  // redelivered: must not train twice

        TrainingBatch batch = batches.readValue();
        assertEquals(List.of("early", "late"), batch.getContrastSets().stream().map(ContrastSet::getRequestId).toList());
        ContrastSet set = batch.getContrastSets().get(0);
        assertEquals(3L, set.getModelVersion());
        assertTrue(set.getMembers().stream().anyMatch(m -> m.getOrigin() == Origin.MODEL));
        assertTrue(set.getMembers().stream().anyMatch(m -> m.getLabels().equals(REFERENCE) && m.getReward() == 1.0));
        assertTrue(batches.isEmpty());
        assertEquals(1, counters.get("rewards.duplicate"));
    }

    @Test
    void aPartialBatchIsFlushedAfterTheMaxWait() {
        sendText("only", TOKENS, T0);
        sendReward("only", "e", REFERENCE, T0.plusSeconds(1));
        assertTrue(batches.isEmpty(), "below the batch size");
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertEquals(1, batches.readValue().getContrastSets().size());
    }

    @Test
    void feedbackOutsideTheWindowDoesNotJoin() {
        sendText("r", TOKENS, T0);
        sendReward("r", "e", REFERENCE, T0.plus(Duration.ofMinutes(10)));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertTrue(batches.isEmpty());
    }

    @Test
    void invalidFeedbackIsDeadLetteredWithAReason() {
        sendText("r", TOKENS, T0);
        sendReward("r", "unknown", List.of("O", "O", "B-planet", "O"), T0);
        sendReward("r", "short", List.of("O"), T0);
        rewards.pipeInput("r", new byte[]{0, 0, 0, 0, 99, 1}, T0);
        List<String> reasons = deadLetters.readValuesToList().stream().map(DeadLetter::getReason).toList();
        assertTrue(reasons.containsAll(List.of("unknown-label", "label-count-mismatch", "malformed-record")),
                reasons.toString());
    }

    private void sendText(String id, List<String> tokens, Instant time) {
        TextEvent text = TextEvent.newBuilder().setRequestId(id).setText(String.join(" ", tokens)).setTokens(tokens)
                .setEventTime(time).build();
        texts.pipeInput(id, serdes.texts().serialize(topics.texts(), text), time);
    }

    private void sendReward(String id, String eventId, List<String> labels, Instant time) {
        RewardEvent reward = RewardEvent.newBuilder().setRequestId(id).setEventId(eventId).setSource("test")
                .setEventTime(time).setReferenceLabels(labels).build();
        rewards.pipeInput(id, serdes.rewards().serialize(topics.rewards(), reward), time);
    }
}
