package io.groot.streams.candidates;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.TextEvent;
import io.groot.schemas.TopicOffset;
import io.groot.schemas.serde.AvroSerde;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.Routed;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.groot.CandidateSets;
import io.groot.trainer.model.ScoredSequence;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.List;
import java.util.Optional;

/**
 * Runs the serving model's beam search on each text; unusable texts become dead letters with the reason. Every
 * text is counted as candidates or as a dead letter in the same transaction that writes it.
 */
final class CandidateGenerator implements FixedKeyProcessor<String, byte[], Routed<CandidateSet>> {
    private final AvroSerde<TextEvent> texts;
    private final ServingModel serving;
    private final String modelName;
    private final int beamWidth;
    private final int maxTokens;
    private FixedKeyProcessorContext<String, Routed<CandidateSet>> context;
    private Accounting accounting;

    CandidateGenerator(AvroSerde<TextEvent> texts, ServingModel serving, String modelName, int beamWidth,
                       int maxTokens) {
        this.texts = texts;
        this.serving = serving;
        this.modelName = modelName;
        this.beamWidth = beamWidth;
        this.maxTokens = maxTokens;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<CandidateSet>> context) {
        this.context = context;
        this.accounting = Accounting.of(context, Accounting.TEXTS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
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
        CandidateSet candidates;
        try {
            candidates = serving.apply((version, labeler) -> candidateSet(record.key(), text, version,
                    labeler.topK(List.of(text.getTokens()), beamWidth).get(0), source));
        } catch (RuntimeException e) {
            reject(record, "inference-failed", e.toString());
            return;
        }
        accounting.add(Accounting.TEXTS_CANDIDATES);
        context.forward(record.withValue(Routed.ok(candidates)));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, String reason, String error) {
        accounting.deadLettered(Accounting.TEXTS_DEAD_LETTERED, reason);
        DeadLetters.forward(context, record, reason, error);
    }

    private CandidateSet candidateSet(String key, TextEvent text, long version, List<ScoredSequence> ranked,
                                      Optional<RecordMetadata> source) {
        return CandidateSets.of(key, text.getTokens(), modelName, version, ranked, text.getEventTime(),
                source.map(m -> new TopicOffset(m.topic(), m.partition(), m.offset())).orElse(null));
    }
}
