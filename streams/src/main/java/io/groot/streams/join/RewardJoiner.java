package io.groot.streams.join;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.DeadLetterHeaders;
import io.groot.schemas.DeadLetterRecords;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TopicOffset;
import io.groot.schemas.serde.AvroSerde;
import io.groot.schemas.state.PendingRecord;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.Buffers;
import io.groot.streams.common.CpuTimer;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.SourceOffsets;
import io.groot.streams.common.Routed;
import io.groot.streams.common.SortableKeys;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.InvalidFeedbackException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reward join, written as a processor so that the fate of every record is decided and counted.
 *
 * <p>Candidates and feedback of one request id join when their timestamps are at most {@code window} apart, in
 * either arrival order; each feedback event joins one candidate set (the latest within the window), so it trains
 * once even if a text was sent twice. When several events join the same candidates, the {@link FeedbackPolicy}
 * decides what trains: the first at once, or, held until the candidates' window closes, the last or the sum. Both
 * sides wait in changelogged stores until stream time passes their time + window + grace. Then candidates that got
 * no feedback are counted as expired, and feedback that found no candidates goes to the dead-letter topic, with its
 * original bytes, as {@code unknown-request} (no candidates seen for the request) or {@code expired-request}
 * (candidates seen, but not within the window). Feedback for a request whose candidates have already expired is
 * dead-lettered at once; that memory is kept for another window + grace.
 *
 * <p>Stream time only moves when records come, so on an idle partition nothing would ever expire. After
 * {@code idleExpiry} of wall-clock time without a record, the task's time runs on with the wall clock from its last
 * stream time, and what waits expires as it would have had records kept coming. A replay that never pauses that long
 * decides exactly as stream time alone would.
 */
final class RewardJoiner implements Processor<String, JoinInput, String, Routed<ContrastSet>> {
    static final String CANDIDATES_STORE = "join-candidates";
    static final String FEEDBACK_STORE = "join-feedback";
    static final String CLOSED_REQUESTS_STORE = "join-closed-requests";
    /** Index of the other stores by deadline: {@code kind|deadline (19 digits)|store key}, scanned in order. */
    static final String DEADLINES_STORE = "join-deadlines";
    /**
     * Joins of a stored candidate set since it was stored, by its store key: counting them here writes a few bytes
     * to a changelog per join, where rewriting the candidate record would write the whole candidate set again.
     */
    static final String JOINS_STORE = "join-candidate-joins";
    /**
     * Feedback held for a stored candidate set until it expires (last-wins, sum), by the candidates' store key; its
     * {@code joins} field counts the events it combines.
     */
    static final String HELD_FEEDBACK_STORE = "join-held-feedback";
    static final Duration EXPIRY_CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final char KEY_SEPARATOR = '\u0000';
    private static final String CANDIDATES = "c";
    private static final String FEEDBACK = "f";
    private static final String CLOSED = "x";

    private final ContrastSetBuilder builder;
    private final FeedbackPolicy policy;
    private final AvroSerde<CandidateSet> candidateSerde;
    private final AvroSerde<RewardEvent> feedbackSerde;
    private final long windowMs;
    private final long lifetimeMs;
    private final long idleExpiryMs;
    private long lastRecordWallMs;
    private ProcessorContext<String, Routed<ContrastSet>> context;
    private KeyValueStore<String, PendingRecord> candidates;
    private KeyValueStore<String, PendingRecord> feedback;
    private KeyValueStore<String, Long> closedRequests;
    private KeyValueStore<String, Long> deadlines;
    private KeyValueStore<String, Long> joins;
    private KeyValueStore<String, PendingRecord> heldFeedback;
    private Accounting accounting;
    private CpuTimer correctionCpu;

    RewardJoiner(ContrastSetBuilder builder, FeedbackPolicy policy, AvroSerde<CandidateSet> candidateSerde,
                 AvroSerde<RewardEvent> feedbackSerde, Duration window, Duration grace, Duration idleExpiry) {
        this.builder = builder;
        this.policy = policy;
        this.candidateSerde = candidateSerde;
        this.feedbackSerde = feedbackSerde;
        this.windowMs = window.toMillis();
        this.lifetimeMs = window.plus(grace).toMillis();
        this.idleExpiryMs = idleExpiry.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Routed<ContrastSet>> context) {
        this.context = context;
        this.candidates = context.getStateStore(CANDIDATES_STORE);
        this.feedback = context.getStateStore(FEEDBACK_STORE);
        this.closedRequests = context.getStateStore(CLOSED_REQUESTS_STORE);
        this.deadlines = context.getStateStore(DEADLINES_STORE);
        this.joins = context.getStateStore(JOINS_STORE);
        this.heldFeedback = context.getStateStore(HELD_FEEDBACK_STORE);
        this.accounting = Accounting.of(context, Accounting.REWARDS_STORE);
        this.correctionCpu = CpuTimer.of(context, RewardJoinTopology.CORRECTION_CPU_METRIC);
        context.schedule(EXPIRY_CHECK_INTERVAL, PunctuationType.STREAM_TIME, this::expire);
        lastRecordWallMs = context.currentSystemTimeMs();
        if (idleExpiryMs > 0) {
            context.schedule(EXPIRY_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::expireIfIdle);
        }
    }

    @Override
    public void process(Record<String, JoinInput> record) {
        lastRecordWallMs = context.currentSystemTimeMs();
        // Rewards come through the repartition topic: their stamp names the record the user wrote.
        TopicOffset source = SourceOffsets.of(record.headers(), context.recordMetadata()).orElse(null);
        PendingRecord pending = new PendingRecord(record.timestamp(), source,
                ByteBuffer.wrap(record.value().original()), 0);
        if (record.value().isFeedback()) {
            onFeedback(record.key(), record.value().feedback(), pending);
        } else {
            onCandidates(record.key(), record.value().candidates(), pending);
        }
    }

    private void onCandidates(String requestId, CandidateSet set, PendingRecord pending) {
        String key = storeKey(requestId, offsetOrTime(pending));
        List<KeyValue<RewardEvent, PendingRecord>> waiting = new ArrayList<>();
        for (KeyValue<String, PendingRecord> found : scan(feedback, requestId)) {
            if (withinWindow(found.value, pending)) {
                remove(FEEDBACK, feedback, found.key, found.value);
                waiting.add(KeyValue.pair(decodeFeedback(found.value), found.value));
            }
        }
        // Feedback that waited for these candidates is offered in event-time order: first-wins takes the earliest.
        waiting.sort(Comparator.comparing(w -> w.key.getEventTime()));
        for (KeyValue<RewardEvent, PendingRecord> found : waiting) {
            offer(requestId, key, pending, false, set, found.key, found.value);
        }
        candidates.put(key, pending);
        deadlines.put(deadlineKey(CANDIDATES, deadline(pending.getRecordTime(), lifetimeMs), key),
                pending.getRecordTime());
    }

    private void onFeedback(String requestId, RewardEvent event, PendingRecord pending) {
        KeyValue<String, PendingRecord> match = null;
        for (KeyValue<String, PendingRecord> waiting : scan(candidates, requestId)) {
            if (withinWindow(waiting.value, pending)
                    && (match == null || waiting.value.getRecordTime() >= match.value.getRecordTime())) {
                match = waiting;
            }
        }
        if (match != null) {
            CandidateSet set = candidateSerde.deserialize(topicOf(match.value), bytes(match.value));
            offer(requestId, match.key, match.value, true, set, event, pending);
        } else if (closedRequests.get(requestId) != null) {
            deadLetter(requestId, pending, "expired-request",
                    "feedback came after its request's candidates expired (window + grace passed)");
        } else {
            String key = storeKey(requestId, event.getEventId());
            feedback.put(key, pending);
            deadlines.put(deadlineKey(FEEDBACK, deadline(pending.getRecordTime(), lifetimeMs), key),
                    pending.getRecordTime());
        }
    }

    /**
     * One feedback event meets the candidates stored (or, if not {@code stored}, about to be stored) under
     * {@code candidatesKey}: it is dead-lettered if it does not fit them, else the policy decides whether it trains
     * now, is held, or is a duplicate.
     */
    private void offer(String requestId, String candidatesKey, PendingRecord candidatesRecord, boolean stored,
                       CandidateSet set, RewardEvent event, PendingRecord feedbackRecord) {
        try {
            builder.check(set, event);
        } catch (InvalidFeedbackException e) {
            deadLetter(requestId, feedbackRecord, e.reason(), e.getMessage());
            return;
        }
        if (!policy.joinsAtOnce()) {
            hold(candidatesKey, event, feedbackRecord);
            return;
        }
        if (candidatesRecord.getJoins() > 0 || (stored && joins.get(candidatesKey) != null)) {
            accounting.add(Accounting.REWARDS_DUPLICATE);
            return;
        }
        emit(requestId, contrast(set, event, feedbackRecord), 1);
        // A stored candidate record is not rewritten for this: the joins store takes a few bytes instead.
        if (stored) {
            joins.put(candidatesKey, 1L);
        } else {
            candidatesRecord.setJoins(1);
        }
    }

    /** Last-wins and sum: keeps the policy's combination of the held feedback and this event; counts what it drops. */
    private void hold(String candidatesKey, RewardEvent event, PendingRecord feedbackRecord) {
        PendingRecord held = heldFeedback.get(candidatesKey);
        if (held == null) {
            feedbackRecord.setJoins(1);
            heldFeedback.put(candidatesKey, feedbackRecord);
            return;
        }
        RewardEvent previous = decodeFeedback(held);
        FeedbackPolicy.Combined combined = policy.combine(previous, held.getJoins(), event);
        if (combined.dropped() > 0) {
            accounting.add(Accounting.REWARDS_DUPLICATE, combined.dropped());
        }
        if (combined.event() == event) {
            feedbackRecord.setJoins(1);
            heldFeedback.put(candidatesKey, feedbackRecord);
        } else if (combined.event() != previous) {
            heldFeedback.put(candidatesKey, new PendingRecord(Math.max(held.getRecordTime(),
                    feedbackRecord.getRecordTime()), feedbackRecord.getSource(),
                    ByteBuffer.wrap(feedbackSerde.serialize(topicOf(feedbackRecord), combined.event())),
                    combined.events()));
        }
    }

    /** GROOT's correct step on one pair whose feedback {@link ContrastSetBuilder#check}ed against the candidates. */
    private ContrastSet contrast(CandidateSet set, RewardEvent event, PendingRecord feedbackRecord) {
        ContrastSet contrast;
        long started = correctionCpu.start();
        try {
            contrast = builder.build(set, event, feedbackRecord.getSource());
        } catch (InvalidFeedbackException e) {
            throw new IllegalStateException("feedback was checked against these candidates when it came", e);
        } finally {
            correctionCpu.stop(started);
        }
        contrast.setFeedbackTime(Instant.ofEpochMilli(feedbackRecord.getRecordTime()));
        return contrast;
    }

    /** Sends a contrast set on, which joins one candidate set and {@code events} feedback events. */
    private void emit(String requestId, ContrastSet contrast, int events) {
        accounting.add(Accounting.REWARDS_JOINED, events);
        accounting.add(Accounting.CANDIDATES_JOINED);
        accounting.add(Accounting.CONTRAST_SETS);
        context.forward(new Record<>(requestId, Routed.ok(contrast), context.currentStreamTimeMs()));
    }

    /** On a partition idle for {@code idleExpiry}: expiry at the stream time plus the wall time it has been idle. */
    private void expireIfIdle(long wallTime) {
        long idleMs = wallTime - lastRecordWallMs;
        long streamTime = context.currentStreamTimeMs();
        if (idleMs >= idleExpiryMs && streamTime >= 0) {
            expire(deadline(streamTime, idleMs));
        }
    }

    private void expire(long streamTime) {
        for (KeyValue<String, Long> due : due(CANDIDATES, streamTime)) {
            String key = storeKeyOf(due.key);
            PendingRecord pending = candidates.get(key);
            remove(CANDIDATES, candidates, key, pending);
            String requestId = requestIdOf(key);
            if (joins.get(key) != null) {
                joins.delete(key);
            } else if (pending.getJoins() == 0 && !emitHeld(requestId, key, pending)) {
                accounting.add(Accounting.CANDIDATES_EXPIRED);
            }
            closedRequests.put(requestId, pending.getRecordTime());
            deadlines.put(deadlineKey(CLOSED, deadline(pending.getRecordTime(), 2 * lifetimeMs), requestId),
                    pending.getRecordTime());
        }
        for (KeyValue<String, Long> due : due(FEEDBACK, streamTime)) {
            String key = storeKeyOf(due.key);
            PendingRecord pending = feedback.get(key);
            remove(FEEDBACK, feedback, key, pending);
            String requestId = requestIdOf(key);
            if (closedRequests.get(requestId) != null || !scan(candidates, requestId).isEmpty()) {
                deadLetter(requestId, pending, "expired-request",
                        "the request's candidates were not within the window of this feedback");
            } else {
                deadLetter(requestId, pending, "unknown-request",
                        "no candidates for this request id arrived within the window + grace");
            }
        }
        for (KeyValue<String, Long> due : due(CLOSED, streamTime)) {
            deadlines.delete(due.key);
            closedRequests.delete(storeKeyOf(due.key));
        }
    }

    /**
     * Trains the feedback held for these candidates (last-wins, sum), if there is any. Looked up under every policy:
     * feedback held before a restart with another policy still trains.
     */
    private boolean emitHeld(String requestId, String candidatesKey, PendingRecord candidatesRecord) {
        PendingRecord held = heldFeedback.get(candidatesKey);
        if (held == null) {
            return false;
        }
        heldFeedback.delete(candidatesKey);
        CandidateSet set = candidateSerde.deserialize(topicOf(candidatesRecord), bytes(candidatesRecord));
        emit(requestId, contrast(set, decodeFeedback(held), held), held.getJoins());
        return true;
    }

    private void deadLetter(String requestId, PendingRecord feedbackRecord, String reason, String error) {
        accounting.deadLettered(Accounting.REWARDS_DEAD_LETTERED, reason);
        DeadLetter letter = DeadLetterRecords.of(bytes(feedbackRecord), reason, error, feedbackRecord.getSource());
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.annotate(headers, letter);
        context.forward(new Record<>(requestId, Routed.dead(letter), context.currentStreamTimeMs(), headers));
    }

    private boolean withinWindow(PendingRecord a, PendingRecord b) {
        return Math.abs(a.getRecordTime() - b.getRecordTime()) <= windowMs;
    }

    private RewardEvent decodeFeedback(PendingRecord pending) {
        return feedbackSerde.deserialize(topicOf(pending), bytes(pending));
    }

    private void remove(String kind, KeyValueStore<String, PendingRecord> store, String key, PendingRecord pending) {
        store.delete(key);
        deadlines.delete(deadlineKey(kind, deadline(pending.getRecordTime(), lifetimeMs), key));
    }

    /** Index entries of {@code kind} whose deadline is before {@code streamTime}. */
    private List<KeyValue<String, Long>> due(String kind, long streamTime) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = deadlines.range(kind + "|",
                kind + "|" + SortableKeys.padded(streamTime))) {
            it.forEachRemaining(due::add);
        }
        return due;
    }

    private static List<KeyValue<String, PendingRecord>> scan(KeyValueStore<String, PendingRecord> store,
                                                              String requestId) {
        List<KeyValue<String, PendingRecord>> found = new ArrayList<>();
        try (KeyValueIterator<String, PendingRecord> it =
                     store.prefixScan(requestId + KEY_SEPARATOR, new StringSerializer())) {
            it.forEachRemaining(found::add);
        }
        return found;
    }

    private static String storeKey(String requestId, String suffix) {
        return requestId + KEY_SEPARATOR + suffix;
    }

    private static String requestIdOf(String storeKey) {
        return storeKey.substring(0, storeKey.indexOf(KEY_SEPARATOR));
    }

    private static String deadlineKey(String kind, long deadline, String storeKey) {
        return kind + "|" + SortableKeys.padded(deadline) + "|" + storeKey;
    }

    static boolean isFeedbackDeadline(String deadlineKey) {
        return deadlineKey.startsWith(FEEDBACK + "|");
    }

    static boolean isCandidatesDeadline(String deadlineKey) {
        return deadlineKey.startsWith(CANDIDATES + "|");
    }

    private static String storeKeyOf(String deadlineKey) {
        return deadlineKey.substring(deadlineKey.indexOf('|', 2) + 1);
    }

    private static long deadline(long time, long span) {
        return time > Long.MAX_VALUE - span ? Long.MAX_VALUE : time + span;
    }

    private static String offsetOrTime(PendingRecord pending) {
        return SortableKeys.padded(pending.getSource() != null ? pending.getSource().getOffset()
                : pending.getRecordTime());
    }

    private static String topicOf(PendingRecord pending) {
        return pending.getSource() == null ? "" : pending.getSource().getTopic();
    }

    private static byte[] bytes(PendingRecord pending) {
        return Buffers.toArray(pending.getValue());
    }
}
