package io.groot.streams.candidates;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.DeadLetterHeaders;
import io.groot.schemas.DeadLetterRecords;
import io.groot.schemas.TextEvent;
import io.groot.schemas.TopicOffset;
import io.groot.schemas.serde.AvroSerde;
import io.groot.schemas.state.PendingRecord;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.Buffers;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.Routed;
import io.groot.streams.common.SortableKeys;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.groot.CandidateSets;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ScoredSequence;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Runs the serving model's beam search on texts, a batch at a time; unusable texts become dead letters with the
 * reason at once. Usable texts wait in a changelogged buffer until {@code batch} of them are there or
 * {@code maxWait} has passed, and stay there until their candidates are forwarded, so a crash between input commit
 * and inference loses nothing (exactly-once). Every text is counted as candidates or as a dead letter in the same
 * transaction that writes it.
 *
 * <p>Batches go to the serving model's inference threads ({@code pipeline} of them at most per task), and the
 * stream thread reads and commits meanwhile: a commit blocks for the broker's round trips, which would otherwise
 * idle the model. Results are forwarded on the stream thread, in input order, as soon as they are ready; when a
 * new batch would exceed the pipeline, the stream thread waits for the oldest. A batch in flight when its task
 * closes is dropped: its texts are still in the buffer, so whoever runs the task next infers them again.
 */
final class CandidateGenerator implements Processor<String, byte[], String, Routed<CandidateSet>> {
    static final String BUFFER_STORE = "inference-buffer";
    private static final int TICKS = 4;

    private final AvroSerde<TextEvent> texts;
    private final ServingModel serving;
    private final String modelName;
    private final int beamWidth;
    private final int maxTokens;
    /** Longest token accepted: far beyond any word, URL or hashtag, far below a pasted blob. */
    static final int MAX_TOKEN_CHARS = 256;
    private final int batch;
    private final Duration maxWait;
    private final int pipeline;
    private ProcessorContext<String, Routed<CandidateSet>> context;
    private Accounting accounting;
    private KeyValueStore<String, PendingRecord> buffer;
    /** Buffered texts not yet handed to the model, in input order. */
    private final List<Buffered> waiting = new ArrayList<>();
    /** Batches handed to the model and not yet forwarded, oldest first. */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private int waitingAtLastTick;
    private int ticksWaiting;

    /** A buffered text: its buffer key ({@code input order|request id}), buffer entry, and parsed event. */
    private record Buffered(String key, PendingRecord pending, TextEvent text) {
        String requestId() {
            return key.substring(key.indexOf('|') + 1);
        }
    }

    private record InFlight(List<Buffered> texts, CompletableFuture<List<Routed<CandidateSet>>> results) {
    }

    CandidateGenerator(AvroSerde<TextEvent> texts, ServingModel serving, String modelName, int beamWidth,
                       int maxTokens, int batch, Duration maxWait, int pipeline) {
        this.texts = texts;
        this.serving = serving;
        this.modelName = modelName;
        this.beamWidth = beamWidth;
        this.maxTokens = maxTokens;
        this.batch = batch;
        this.maxWait = maxWait;
        this.pipeline = pipeline;
    }

    @Override
    public void init(ProcessorContext<String, Routed<CandidateSet>> context) {
        this.context = context;
        this.accounting = Accounting.of(context, Accounting.TEXTS_STORE);
        this.buffer = context.getStateStore(BUFFER_STORE);
        waiting.clear();
        inFlight.clear();
        try (KeyValueIterator<String, PendingRecord> all = buffer.all()) {
            // Restored after a restart (in key order, so input order): inferred at the next flush.
            all.forEachRemaining(entry -> waiting.add(new Buffered(entry.key, entry.value,
                    texts.deserialize(topicOf(entry.value), bytes(entry.value)))));
        }
        context.schedule(Duration.ofMillis(Math.max(1, maxWait.toMillis() / TICKS)), PunctuationType.WALL_CLOCK_TIME,
                now -> tick());
    }

    /**
     * "reason: error" for a text whose fields are out of bounds, or null. The bounds keep one record from costing
     * the encoder, the stores and the training batches far more than a text of {@code maxTokens} words can.
     */
    private String tokenProblem(TextEvent text) {
        List<String> tokens = text.getTokens();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.isBlank()) {
                return "empty-token: token " + i + " is empty or blank";
            }
            if (token.length() > MAX_TOKEN_CHARS) {
                return "oversized-token: token " + i + " has " + token.length() + " characters, the limit is "
                        + MAX_TOKEN_CHARS;
            }
        }
        long limit = (long) maxTokens * (MAX_TOKEN_CHARS + 1);
        if (text.getText().length() > limit) {
            return "oversized-text: the text field has " + text.getText().length() + " characters, the limit is "
                    + limit + " (--max-tokens words of at most " + MAX_TOKEN_CHARS + ")";
        }
        return null;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        forwardReady();
        accounting.add(Accounting.TEXTS_RECEIVED);
        Optional<RecordMetadata> source = context.recordMetadata();
        if (record.key() == null || record.key().isEmpty()) {
            reject(record, "missing-key", "texts must be keyed by request id: feedback is matched on the key (key is "
                    + (record.key() == null ? "null" : "empty") + ")");
            return;
        }
        if (record.value() == null) {
            reject(record, "tombstone", "a null value (a tombstone) is not a text");
            return;
        }
        TextEvent text;
        try {
            text = texts.deserialize(source.map(RecordMetadata::topic).orElse(""), record.value());
        } catch (RuntimeException e) {
            reject(record, DeadLetters.unreadableReason(e), e.getMessage());
            return;
        }
        if (text != null && !record.key().equals(text.getRequestId())) {
            // Feedback is matched on the key; a value that names another request is a producer bug.
            reject(record, "key-mismatch", "key '" + record.key() + "' is not the text's request id '"
                    + text.getRequestId() + "'");
            return;
        }
        if (text == null || text.getTokens().isEmpty()) {
            reject(record, "empty-text", "text has no tokens");
            return;
        }
        if (text.getTokens().size() > maxTokens) {
            reject(record, "oversized-text", text.getTokens().size() + " tokens, the limit is " + maxTokens);
            return;
        }
        String problem = tokenProblem(text);
        if (problem != null) {
            reject(record, problem.substring(0, problem.indexOf(':')), problem.substring(problem.indexOf(':') + 2));
            return;
        }
        TopicOffset from = source.map(m -> new TopicOffset(m.topic(), m.partition(), m.offset())).orElse(null);
        // Keys sort by input offset, so a restored buffer keeps input order.
        String order = SortableKeys.padded(from != null ? from.getOffset() : record.timestamp());
        Buffered buffered = new Buffered(order + "|" + record.key(),
                new PendingRecord(record.timestamp(), from, ByteBuffer.wrap(record.value()), 0), text);
        buffer.put(buffered.key(), buffered.pending());
        waiting.add(buffered);
        if (waiting.size() >= batch) {
            dispatch();
        }
    }

    /**
     * Forwards finished batches; a partial batch goes when input has paused (nothing arrived since the last tick)
     * or has waited maxWait (ticks are counted: the thread's cached clock can lag behind a long inference). Under
     * load, batches fill up first.
     */
    private void tick() {
        forwardReady();
        if (waiting.isEmpty()) {
            return;
        }
        ticksWaiting++;
        if (waiting.size() == waitingAtLastTick || ticksWaiting >= TICKS) {
            dispatch();
        } else {
            waitingAtLastTick = waiting.size();
        }
    }

    /**
     * Hands the waiting texts to the model (in batches of at most {@code batch}: a restored buffer can hold more),
     * or runs them here if there is no pipeline.
     */
    private void dispatch() {
        for (int from = 0; from < waiting.size(); from += batch) {
            dispatch(List.copyOf(waiting.subList(from, Math.min(waiting.size(), from + batch))));
        }
        waiting.clear();
        waitingAtLastTick = 0;
        ticksWaiting = 0;
    }

    private void dispatch(List<Buffered> batchTexts) {
        BiFunction<Long, Labeler, List<Routed<CandidateSet>>> inference =
                (version, labeler) -> candidates(version, labeler, batchTexts);
        if (pipeline == 0) {
            forward(batchTexts, outcome(batchTexts, () -> serving.apply(inference)));
            return;
        }
        inFlight.add(new InFlight(batchTexts, serving.submit(inference)));
        while (inFlight.size() > pipeline) {
            forwardOldest();
        }
    }

    private void forwardReady() {
        while (!inFlight.isEmpty() && inFlight.peek().results().isDone()) {
            forwardOldest();
        }
    }

    private void forwardOldest() {
        InFlight oldest = inFlight.poll();
        forward(oldest.texts(), outcome(oldest.texts(), oldest.results()::join));
    }

    /** The candidates, or every text of the batch as an inference-failed dead letter if the model failed. */
    private List<Routed<CandidateSet>> outcome(List<Buffered> batchTexts,
                                               Supplier<List<Routed<CandidateSet>>> inference) {
        try {
            return inference.get();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            List<Routed<CandidateSet>> dead = new ArrayList<>(batchTexts.size());
            for (Buffered text : batchTexts) {
                dead.add(Routed.dead(DeadLetterRecords.of(bytes(text.pending()), "inference-failed", cause.toString(),
                        text.pending().getSource())));
            }
            return dead;
        }
    }

    /** One batched beam search (on whichever thread runs it): candidate sets in the batch's order. */
    private List<Routed<CandidateSet>> candidates(long version, Labeler labeler,
                                                  List<Buffered> batchTexts) {
        List<List<ScoredSequence>> ranked = labeler.topK(batchTexts.stream().map(b -> b.text().getTokens()).toList(),
                beamWidth);
        List<Routed<CandidateSet>> out = new ArrayList<>(batchTexts.size());
        for (int i = 0; i < batchTexts.size(); i++) {
            Buffered text = batchTexts.get(i);
            out.add(Routed.ok(CandidateSets.of(text.requestId(), text.text().getTokens(), modelName, version,
                    ranked.get(i), text.text().getEventTime(), text.pending().getSource())));
        }
        return out;
    }

    private void forward(List<Buffered> batchTexts, List<Routed<CandidateSet>> results) {
        for (int i = 0; i < batchTexts.size(); i++) {
            Buffered text = batchTexts.get(i);
            Routed<CandidateSet> result = results.get(i);
            RecordHeaders headers = new RecordHeaders();
            if (result.isDead()) {
                accounting.deadLettered(Accounting.TEXTS_DEAD_LETTERED, result.deadLetter().getReason());
                DeadLetterHeaders.annotate(headers, result.deadLetter());
            } else {
                accounting.add(Accounting.TEXTS_CANDIDATES);
            }
            context.forward(new Record<>(text.requestId(), result, text.pending().getRecordTime(), headers));
            buffer.delete(text.key());
        }
    }

    /** Batches still with the model are dropped, not awaited: their texts stay buffered for the next owner. */
    @Override
    public void close() {
        inFlight.forEach(batch -> batch.results().cancel(false));
        inFlight.clear();
        waiting.clear();
    }

    private void reject(Record<String, byte[]> record, String reason, String error) {
        accounting.deadLettered(Accounting.TEXTS_DEAD_LETTERED, reason);
        DeadLetters.forward(context, record, reason, error);
    }

    private static String topicOf(PendingRecord pending) {
        return pending.getSource() == null ? "" : pending.getSource().getTopic();
    }

    private static byte[] bytes(PendingRecord pending) {
        return Buffers.toArray(pending.getValue());
    }
}
