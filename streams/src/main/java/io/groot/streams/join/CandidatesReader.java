package io.groot.streams.join;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.serde.AvroSerde;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.Routed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Reads candidate sets from raw bytes for the join; one that cannot be read becomes a dead letter. */
final class CandidatesReader implements FixedKeyProcessor<String, byte[], Routed<JoinInput>> {
    private final AvroSerde<CandidateSet> candidates;
    private FixedKeyProcessorContext<String, Routed<JoinInput>> context;
    private Accounting accounting;

    CandidatesReader(AvroSerde<CandidateSet> candidates) {
        this.candidates = candidates;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<JoinInput>> context) {
        this.context = context;
        this.accounting = Accounting.of(context, Accounting.REWARDS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        accounting.add(Accounting.CANDIDATES_RECEIVED);
        CandidateSet set;
        try {
            set = candidates.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(""),
                    record.value());
        } catch (RuntimeException e) {
            reject(record, DeadLetters.unreadableReason(e), e.getMessage());
            return;
        }
        if (record.key() == null || set == null) {
            reject(record, "missing-key", "candidates must be keyed by request id and not empty");
            return;
        }
        context.forward(record.withValue(Routed.ok(JoinInput.ofCandidates(set, record.value()))));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, String reason, String error) {
        accounting.deadLettered(Accounting.CANDIDATES_DEAD_LETTERED, reason);
        DeadLetters.forward(context, record, reason, error);
    }
}
