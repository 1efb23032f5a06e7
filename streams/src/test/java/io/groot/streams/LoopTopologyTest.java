package io.groot.streams;

import io.groot.schemas.CandidateReward;
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
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.CpuTimer;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.join.FeedbackPolicy;
import io.groot.streams.join.RewardJoinTopology;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.model.Vocabulary;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
        // The model on the stream thread: outputs follow inputs deterministically.
        drive(config(1, 0), "topology-test", state);
    }

    /** The test's loop settings, with this inference batching and pipeline depth. */
    private static LoopConfig config(int inferenceBatch, int inferencePipeline) {
        return new LoopConfig("slots", 3, 6, Duration.ofMinutes(5), Duration.ofMinutes(1), "f1", 4, 2,
                Duration.ofSeconds(10))
                .withInferenceBatching(inferenceBatch, Duration.ofMillis(100))
                .withInferencePipeline(inferencePipeline);
    }

    /** (Re)starts the driver on both topologies with {@code config}, and opens the test's topics on it. */
    private void drive(LoopConfig config, String applicationId, Path state) {
        if (driver != null) {
            driver.close();
        }
        driver = new TopologyTestDriver(GrootStreamsApp.topology(topics, serdes, serving, config),
                GrootStreamsApp.streamsProperties(new java.util.Properties() {{
                    put("bootstrap.servers", "unused:9092");
                }}, applicationId, state, 1, 1), T0);
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
    void textsWaitForABatchOrTheMaxWaitAndKeepTheirOrder(@TempDir Path other) {
        drive(config(3, 0), "batching-test", other);
        sendText("a", TOKENS, T0);
        sendText("b", TOKENS, T0);
        assertTrue(candidates.isEmpty(), "two texts wait for a third or for the max wait");
        assertEquals(2, account().get(Accounting.TEXTS_RECEIVED) - account().get(Accounting.TEXTS_CANDIDATES));
        driver.advanceWallClockTime(Duration.ofMillis(30));
        assertTrue(candidates.isEmpty(), "one tick: the input may still be flowing");
        driver.advanceWallClockTime(Duration.ofMillis(30));
        assertEquals(List.of("a", "b"), candidates.readValuesToList().stream().map(CandidateSet::getRequestId).toList(),
                "nothing new came for a tick: the partial batch goes");
        sendText("c", TOKENS, T0);
        sendText("d", TOKENS, T0);
        sendText("e", TOKENS, T0);
        assertEquals(List.of("c", "d", "e"), candidates.readValuesToList().stream().map(CandidateSet::getRequestId)
                .toList(), "a full batch goes at once, in input order");
        assertEquals(0, account().textsAwaitingInference());
    }

    @Test
    void withAPipelineTheStreamThreadReadsOnWhileTheModelWorksAndOutputKeepsInputOrder(@TempDir Path other)
            throws Exception {
        drive(config(2, 1), "pipeline-test", other);
        CountDownLatch modelBusy = new CountDownLatch(1);
        CompletableFuture<Object> occupied = serving.submit((version, labeler) -> {
            try {
                return modelBusy.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        sendText("a", TOKENS, T0);
        sendText("b", TOKENS, T0);
        sendText("c", TOKENS, T0);
        assertTrue(candidates.isEmpty(), "the first batch is with the (busy) model; the stream thread is not held");
        assertEquals(3, account().get(Accounting.TEXTS_RECEIVED) - account().get(Accounting.TEXTS_CANDIDATES));
        modelBusy.countDown();
        occupied.get(30, TimeUnit.SECONDS);
        sendText("d", TOKENS, T0); // a second full batch: waits for the first, which is then forwarded
        List<String> out = new java.util.ArrayList<>(candidates.readValuesToList().stream()
                .map(CandidateSet::getRequestId).toList());
        assertEquals(List.of("a", "b"), out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (out.size() < 4 && System.nanoTime() < deadline) {
            driver.advanceWallClockTime(Duration.ofMillis(25)); // ticks forward finished batches
            candidates.readValuesToList().forEach(set -> out.add(set.getRequestId()));
        }
        assertEquals(List.of("a", "b", "c", "d"), out, "in input order, each once");
        assertEquals(0, account().textsAwaitingInference());
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
        LoopAccount account = account();
        assertEquals(4, account.get(Accounting.TEXTS_RECEIVED));
        assertEquals(1, account.get("texts.dead-lettered.oversized-text"));
        assertEquals(0, account.textsAwaitingInference());
    }

    @Test
    void textsAndRewardsWithoutARequestKeyAreDeadLettered() {
        TextEvent text = TextEvent.newBuilder().setRequestId("r").setText("fly").setTokens(List.of("fly"))
                .setEventTime(T0).build();
        texts.pipeInput((String) null, serdes.texts().serialize(topics.texts(), text), T0);
        rewards.pipeInput((String) null, new byte[]{1}, T0);
        assertEquals(List.of("missing-key", "missing-key"),
                deadLetters.readValuesToList().stream().map(DeadLetter::getReason).toList());
        assertEquals(0, account().textsAwaitingInference());
        assertEquals(0, account().rewardsPending());
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
        assertEquals(topics.rewards(), set.getRewardSource().getTopic(), "lineage: where the feedback was read");
        LoopAccount account = account();
        assertEquals(3, account.get(Accounting.REWARDS_RECEIVED));
        assertEquals(2, account.get(Accounting.REWARDS_JOINED));
        assertEquals(1, account.get(Accounting.REWARDS_DUPLICATE));
        assertEquals(2, account.get(Accounting.CANDIDATES_JOINED));
        assertEquals(0, account.rewardsPending());
        assertEquals(0, account.textsAwaitingInference());
        assertEquals(1.0, driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-groot-metrics")
                        && e.getKey().name().equals("records-total")
                        && "rewards.duplicate".equals(e.getKey().tags().get("groot-id")))
                .mapToDouble(e -> (Double) e.getValue().metricValue()).sum(), "also a Kafka Streams metric");
        double correctionNs = driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(CpuTimer.GROUP)
                        && e.getKey().name().equals(RewardJoinTopology.CORRECTION_CPU_METRIC))
                .mapToDouble(e -> (Double) e.getValue().metricValue()).sum();
        assertTrue(correctionNs > 0, "the correct step's CPU time, a Kafka Streams metric: " + correctionNs);
    }

    @Test
    void anEventIdIsADuplicateForTwiceTheWindowAndGraceThenForgotten() {
        sendText("r", TOKENS, T0);
        sendReward("r", "e1", REFERENCE, T0.plusSeconds(1));
        sendReward("r", "e1", REFERENCE, T0.plus(Duration.ofMinutes(11))); // memory: 2 x (5 + 1) min
        assertEquals(1, account().get(Accounting.REWARDS_DUPLICATE));

        sendReward("other", "e2", REFERENCE, T0.plus(Duration.ofMinutes(60))); // stream time moves on
        sendReward("r", "e1", REFERENCE, T0.plus(Duration.ofMinutes(61)));
        assertEquals(1, account().get(Accounting.REWARDS_DUPLICATE), "an hour on, e1 is not remembered");
        WindowStore<String, Long> seen = driver.getWindowStore(RewardJoinTopology.SEEN_REWARD_EVENTS_STORE);
        try (KeyValueIterator<Windowed<String>, Long> ids = seen.all()) {
            List<String> remembered = new ArrayList<>();
            ids.forEachRemaining(id -> remembered.add(id.key.key() + "@" + id.value));
            assertEquals(List.of("other/e2@" + T0.plus(Duration.ofMinutes(60)).toEpochMilli(),
                    "r/e1@" + T0.plus(Duration.ofMinutes(61)).toEpochMilli()), remembered.stream().sorted().toList(),
                    "the first sightings of e1 were dropped with their segment");
        }
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
    void feedbackOutsideTheWindowIsDeadLetteredAsExpiredOnceItsOwnWindowCloses() {
        sendText("r", TOKENS, T0);
        byte[] late = sendReward("r", "e", REFERENCE, T0.plus(Duration.ofMinutes(10)));
        assertEquals(1, account().get(Accounting.CANDIDATES_EXPIRED), "window 5 min + grace 1 min passed");
        // On a broker the join task still holds it here, until its own window + grace has passed. The test
        // driver runs every sub-topology in one task with one stream time: the reward's own timestamp, on its way
        // into the repartition topic, expires the candidates before the join reads it, so it is dead-lettered at
        // once. Either way it ends as one expired-request dead letter, below.
        assertEquals(1, account().rewardsPending() + account().get("rewards.dead-lettered.expired-request"),
                "held, or dead-lettered as expired: " + account().counts());
        sendText("tick", TOKENS, T0.plus(Duration.ofMinutes(17)));

        TestRecord<String, DeadLetter> letter = deadLetters.readRecord();
        assertEquals("r", letter.key());
        assertEquals("expired-request", letter.value().getReason());
        assertEquals(java.nio.ByteBuffer.wrap(late), letter.value().getOriginalValue(), "the bytes as sent");
        assertEquals(topics.rewards(), letter.value().getSourceTopic());
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertTrue(batches.isEmpty());
        assertEquals(0, account().rewardsPending());
    }

    @Test
    void onAnIdlePartitionWhatWaitsExpiresByTheWallClockAfterTheIdleTime() {
        sendText("c", TOKENS, T0);
        sendReward("ghost", "e", REFERENCE, T0);
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertEquals(1, account().rewardsPending(), "idle 1 min: time runs on, but not yet window + grace");
        assertEquals(1, account().candidatesAwaiting());
        assertTrue(deadLetters.isEmpty());

        driver.advanceWallClockTime(Duration.ofMinutes(5));
        DeadLetter letter = deadLetters.readValue();
        assertEquals("unknown-request", letter.getReason());
        assertEquals(topics.rewards(), letter.getSourceTopic());
        LoopAccount account = account();
        assertEquals(0, account.rewardsPending(), account.counts().toString());
        assertEquals(1, account.get(Accounting.CANDIDATES_EXPIRED));
        assertEquals(0, account.candidatesAwaiting());
    }

    @Test
    void withoutIdleExpiryOnlyStreamTimeExpires(@TempDir Path other) {
        drive(config(1, 0).withIdleExpiry(Duration.ZERO), "strict-stream-time-test", other);
        sendReward("ghost", "e", REFERENCE, T0);
        driver.advanceWallClockTime(Duration.ofHours(2));
        assertEquals(1, account().rewardsPending());
        assertTrue(deadLetters.isEmpty());
        sendText("tick", TOKENS, T0.plus(Duration.ofMinutes(7)));
        assertEquals("unknown-request", deadLetters.readValue().getReason());
    }

    @Test
    void feedbackAfterItsCandidatesExpiredIsDeadLetteredAtOnce() {
        sendText("r", TOKENS, T0);
        sendText("tick", TOKENS, T0.plus(Duration.ofMinutes(7)));
        sendReward("r", "e", REFERENCE, T0.plus(Duration.ofMinutes(7)));
        assertEquals("expired-request", deadLetters.readValue().getReason());
        LoopAccount account = account();
        assertEquals(1, account.get(Accounting.CANDIDATES_EXPIRED));
        assertEquals(1, account.get("rewards.dead-lettered.expired-request"));
        assertEquals(0, account.rewardsPending());
    }

    @Test
    void feedbackForARequestNeverSeenIsDeadLetteredAsUnknownAfterTheWindow() {
        byte[] ghost = sendReward("ghost", "e", REFERENCE, T0);
        assertTrue(deadLetters.isEmpty(), "its text may still come");
        sendText("tick", TOKENS, T0.plus(Duration.ofMinutes(7)));
        TestRecord<String, DeadLetter> letter = deadLetters.readRecord();
        assertEquals("ghost", letter.key());
        assertEquals("unknown-request", letter.value().getReason());
        assertEquals(java.nio.ByteBuffer.wrap(ghost), letter.value().getOriginalValue());
        assertEquals(1, account().get(Accounting.REWARDS_DEAD_LETTERED));
        assertEquals(1, account().candidatesAwaiting(), "the tick's candidates");
    }

    @Test
    void underFirstWinsTheFirstFeedbackTrainsAtOnceAndALaterOneIsADuplicateEvenIfTheTextWasSentTwice() {
        sendText("twice", TOKENS, T0);
        sendText("twice", TOKENS, T0.plusSeconds(1));
        sendReward("twice", "e", REFERENCE, T0.plusSeconds(2));
        sendReward("twice", "e2", REFERENCE, T0.plusSeconds(3));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        TrainingBatch batch = batches.readValue();
        assertEquals(List.of("e"), batch.getContrastSets().stream().map(ContrastSet::getRewardEventId).toList());
        assertRewardsSettled(1, 1);
    }

    @Test
    void underLastWinsFeedbackWaitsForTheWindowAndTheLatestEventTrains(@TempDir Path other) {
        drive(config(1, 0).withFeedbackPolicy(FeedbackPolicy.LAST_WINS), "last-wins-test", other);
        sendText("r", TOKENS, T0);
        sendReward("r", "newer", REFERENCE, T0.plusSeconds(3));
        sendReward("r", "older", List.of("O", "O", "O", "O"), T0.plusSeconds(2)); // arrives last, happened first
        sendReward("r", "newest", List.of("O", "O", "B-city", "O"), T0.plusSeconds(4));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertTrue(batches.isEmpty(), "held until the candidates' window + grace has passed");
        assertEquals(1, account().rewardsPending());
        assertEquals(2, account().get(Accounting.REWARDS_DUPLICATE));

        sendText("tick", TOKENS, T0.plus(Duration.ofMinutes(7)));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        ContrastSet set = batches.readValue().getContrastSets().get(0);
        assertEquals("newest", set.getRewardEventId());
        assertEquals(List.of("O", "O", "B-city", "O"), set.getReferenceLabels());
        assertRewardsSettled(1, 2);
        assertEquals(1, account().get(Accounting.CANDIDATES_JOINED));
        assertEquals(0, account().get(Accounting.CANDIDATES_EXPIRED));
    }

    @Test
    void underSumTheScalarRewardsOfEveryEventAreAddedRankByRank(@TempDir Path other) {
        drive(config(1, 0).withFeedbackPolicy(FeedbackPolicy.SUM), "sum-test", other);
        sendReward("r", "first", Map.of(1, 0.5, 2, 0.25), T0);             // before its text: waits, then held
        sendText("r", TOKENS, T0.plusSeconds(1));
        sendReward("r", "second", Map.of(1, 0.25, 3, 1.0), T0.plusSeconds(2));
        sendText("tick", TOKENS, T0.plus(Duration.ofMinutes(7)));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        ContrastSet set = batches.readValue().getContrastSets().get(0);
        Map<Integer, Double> byRank = new HashMap<>();
        set.getMembers().forEach(m -> byRank.put(m.getModelRank(), m.getReward()));
        assertEquals(Map.of(1, 0.75, 2, 0.25, 3, 1.0), byRank);
        assertRewardsSettled(2, 0); // both events trained, in one contrast set
        assertEquals(1, account().get(Accounting.CONTRAST_SETS));
    }

    @Test
    void refusedFeedbackLeavesItsCandidatesToExpire() {
        sendText("r", TOKENS, T0);
        sendReward("r", "short", List.of("O"), T0.plusSeconds(1));
        assertEquals("label-count-mismatch", deadLetters.readValue().getReason());
        sendText("tick", TOKENS, T0.plus(Duration.ofMinutes(7)));
        LoopAccount account = account();
        assertEquals(1, account.get(Accounting.CANDIDATES_EXPIRED), "no feedback joined them");
        assertEquals(1, account.candidatesAwaiting(), "the tick's candidates only");
        assertEquals(0, account.rewardsPending());
    }

    @Test
    void invalidFeedbackIsDeadLetteredWithAReason() {
        sendText("r", TOKENS, T0);
        sendReward("r", "unknown", List.of("O", "O", "B-planet", "O"), T0);
        sendReward("r", "short", List.of("O"), T0);
        rewards.pipeInput("r", new byte[]{0, 0, 0, 0, 99, 1}, T0);
        List<String> reasons = deadLetters.readValuesToList().stream().map(DeadLetter::getReason).toList();
        assertTrue(reasons.containsAll(List.of("unknown-label", "label-count-mismatch", "unknown-schema")),
                reasons.toString());
    }

    /** No feedback is pending: so many events joined, so many were duplicates. */
    private void assertRewardsSettled(long joined, long duplicates) {
        LoopAccount account = account();
        assertEquals(joined, account.get(Accounting.REWARDS_JOINED), "joined");
        assertEquals(duplicates, account.get(Accounting.REWARDS_DUPLICATE), "duplicates");
        assertEquals(0, account.rewardsPending());
    }

    /** The books as the stores hold them now. */
    private LoopAccount account() {
        Map<String, Long> counts = new HashMap<>();
        for (String store : List.of(Accounting.TEXTS_STORE, Accounting.REWARDS_STORE)) {
            KeyValueStore<String, Long> kv = driver.getKeyValueStore(store);
            try (KeyValueIterator<String, Long> all = kv.all()) {
                all.forEachRemaining(entry -> counts.put(entry.key, entry.value));
            }
        }
        return new LoopAccount(counts);
    }

    private void sendText(String id, List<String> tokens, Instant time) {
        TextEvent text = TextEvent.newBuilder().setRequestId(id).setText(String.join(" ", tokens)).setTokens(tokens)
                .setEventTime(time).build();
        texts.pipeInput(id, serdes.texts().serialize(topics.texts(), text), time);
    }

    private void sendReward(String id, String eventId, Map<Integer, Double> rewardByRank, Instant time) {
        send(feedback(id, eventId, time).setScalarRewards(rewardByRank.entrySet().stream()
                .map(e -> new CandidateReward(e.getKey(), e.getValue())).toList()), time);
    }

    private byte[] sendReward(String id, String eventId, List<String> labels, Instant time) {
        return send(feedback(id, eventId, time).setReferenceLabels(labels), time);
    }

    private static RewardEvent.Builder feedback(String id, String eventId, Instant time) {
        return RewardEvent.newBuilder().setRequestId(id).setEventId(eventId).setSource("test").setEventTime(time);
    }

    private byte[] send(RewardEvent.Builder reward, Instant time) {
        byte[] bytes = serdes.rewards().serialize(topics.rewards(), reward.build());
        rewards.pipeInput(reward.getRequestId(), bytes, time);
        return bytes;
    }
}
