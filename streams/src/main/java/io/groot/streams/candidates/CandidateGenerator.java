package io.groot.streams.candidates;

import io.groot.schemas.CandidateSet;
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
import io.groot.trainer.model.ScoredSequence;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the serving model's beam search on texts, a batch at a time; unusable texts become dead letters with the
 * reason at once. Usable texts wait in a changelogged buffer until {@code batch} of them are there or
 * {@code maxWait} has passed, so a crash between input commit and inference loses nothing (exactly-once). Every
 * text is counted as candidates or as a dead letter in the same transaction that writes it.
 */
final class CandidateGenerator implements Processor<String, byte[], String, Routed<CandidateSet>> {
    static final String BUFFER_STORE = "inference-buffer";
    private static final int TICKS = 4;

    private final AvroSerde<TextEvent> texts;
    private final ServingModel serving;
    private final String modelName;
    private final int beamWidth;
    private final int maxTokens;
    private final int batch;
    private final Duration maxWait;
    private ProcessorContext<String, Routed<CandidateSet>> context;
    private Accounting accounting;
    private KeyValueStore<String, PendingRecord> buffer;
    /** The buffered texts already parsed, so a flush does not decode them again (not after a restart). */
    private final Map<String, TextEvent> parsed = new HashMap<>();
    private int buffered;
    private int bufferedAtLastTick;
    private int ticksWaiting;

    CandidateGenerator(AvroSerde<TextEvent> texts, ServingModel serving, String modelName, int beamWidth,
                       int maxTokens, int batch, Duration maxWait) {
        this.texts = texts;
        this.serving = serving;
        this.modelName = modelName;
        this.beamWidth = beamWidth;
        this.maxTokens = maxTokens;
        this.batch = batch;
        this.maxWait = maxWait;
    }

    @Override
    public void init(ProcessorContext<String, Routed<CandidateSet>> context) {
        this.context = context;
        this.accounting = Accounting.of(context, Accounting.TEXTS_STORE);
        this.buffer = context.getStateStore(BUFFER_STORE);
        parsed.clear();
        buffered = 0;
        try (KeyValueIterator<String, PendingRecord> all = buffer.all()) {
            all.forEachRemaining(entry -> buffered++); // restored after a restart: inferred at the next flush
        }
        context.schedule(Duration.ofMillis(Math.max(1, maxWait.toMillis() / TICKS)), PunctuationType.WALL_CLOCK_TIME,
                now -> tick());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        accounting.add(Accounting.TEXTS_RECEIVED);
        Optional<RecordMetadata> source = context.recordMetadata();
        if (record.key() == null) {
            reject(record, "missing-key", "texts must be keyed by request id: feedback is matched on the key");
            return;
        }
        TextEvent text;
        try {
            text = texts.deserialize(source.map(RecordMetadata::topic).orElse(""), record.value());
        } catch (RuntimeException e) {
            reject(record, DeadLetters.unreadableReason(e), e.getMessage());
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
        TopicOffset from = source.map(m -> new TopicOffset(m.topic(), m.partition(), m.offset())).orElse(null);
        // Keys sort by input offset, so a batch keeps input order.
        String order = SortableKeys.padded(from != null ? from.getOffset() : record.timestamp());
        String key = order + "|" + record.key();
        buffer.put(key, new PendingRecord(record.timestamp(), from, ByteBuffer.wrap(record.value()), 0));
        parsed.put(key, text);
        if (++buffered >= batch) {
            flush();
        }
    }

    /**
     * A partial batch goes when input has paused (nothing arrived since the last tick) or has waited maxWait (ticks
     * are counted: the thread's cached clock can lag behind a long inference). Under load, batches fill up first.
     */
    private void tick() {
        if (buffered == 0) {
            return;
        }
        ticksWaiting++;
        if (buffered == bufferedAtLastTick || ticksWaiting >= TICKS) {
            flush();
        } else {
            bufferedAtLastTick = buffered;
        }
    }

    /** One batched beam search over everything buffered; forwards the candidate sets in input order. */
    private void flush() {
        if (buffered == 0) {
            return;
        }
        List<KeyValue<String, PendingRecord>> pending = new ArrayList<>();
        try (KeyValueIterator<String, PendingRecord> all = buffer.all()) {
            all.forEachRemaining(pending::add);
        }
        List<TextEvent> decoded = new ArrayList<>();
        for (KeyValue<String, PendingRecord> entry : pending) {
            TextEvent text = parsed.remove(entry.key);
            TopicOffset from = entry.value.getSource();
            decoded.add(text != null ? text
                    : texts.deserialize(from == null ? "" : from.getTopic(), bytes(entry.value)));
        }
        List<Routed<CandidateSet>> results = infer(pending, decoded);
        for (int i = 0; i < pending.size(); i++) {
            KeyValue<String, PendingRecord> entry = pending.get(i);
            String key = entry.key.substring(entry.key.indexOf('|') + 1);
            Routed<CandidateSet> result = results.get(i);
            accounting.add(result.isDead() ? Accounting.TEXTS_DEAD_LETTERED : Accounting.TEXTS_CANDIDATES);
            if (result.isDead()) {
                accounting.add(Accounting.TEXTS_DEAD_LETTERED + "." + result.deadLetter().getReason());
            }
            RecordHeaders headers = new RecordHeaders();
            if (result.isDead()) {
                DeadLetters.annotate(headers, result.deadLetter());
            }
            context.forward(new Record<>(key, result, entry.value.getRecordTime(), headers));
            buffer.delete(entry.key);
        }
        buffered = 0;
        bufferedAtLastTick = 0;
        ticksWaiting = 0;
    }

    private List<Routed<CandidateSet>> infer(List<KeyValue<String, PendingRecord>> pending, List<TextEvent> decoded) {
        List<Routed<CandidateSet>> out = new ArrayList<>();
        try {
            serving.apply((version, labeler) -> {
                for (int from = 0; from < decoded.size(); from += batch) {
                    List<TextEvent> chunk = decoded.subList(from, Math.min(decoded.size(), from + batch));
                    List<List<ScoredSequence>> ranked = labeler.topK(chunk.stream().map(TextEvent::getTokens)
                            .toList(), beamWidth);
                    for (int i = 0; i < chunk.size(); i++) {
                        KeyValue<String, PendingRecord> entry = pending.get(from + i);
                        out.add(Routed.ok(CandidateSets.of(entry.key.substring(entry.key.indexOf('|') + 1),
                                chunk.get(i).getTokens(), modelName, version, ranked.get(i),
                                chunk.get(i).getEventTime(), entry.value.getSource())));
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            out.clear();
            for (KeyValue<String, PendingRecord> entry : pending) {
                out.add(Routed.dead(DeadLetters.of(bytes(entry.value), "inference-failed", e.toString(),
                        entry.value.getSource())));
            }
        }
        return out;
    }

    private void reject(Record<String, byte[]> record, String reason, String error) {
        accounting.deadLettered(Accounting.TEXTS_DEAD_LETTERED, reason);
        DeadLetters.forward(context, record, reason, error);
    }

    private static byte[] bytes(PendingRecord pending) {
        return Buffers.toArray(pending.getValue());
    }
}
