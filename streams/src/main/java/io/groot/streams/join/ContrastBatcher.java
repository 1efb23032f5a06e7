package io.groot.streams.join;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.serde.AvroSerde;
import io.groot.schemas.serde.TrainingBatchEncoder;
import io.groot.streams.accounting.Accounting;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups contrast sets into training batches of {@code batchSize}, or whatever is pending every {@code maxWait}
 * of wall-clock time, so the trainer is fed steadily at any rate. Pending sets live in a changelogged store:
 * a restarted task emits them, none is lost or emitted twice (exactly-once).
 *
 * <p>Each set is encoded once, when it is stored; the batch is written from those bytes ({@link
 * TrainingBatchEncoder}) rather than decoded and encoded again, which was most of the join's cost.
 */
final class ContrastBatcher implements Processor<String, ContrastSet, String, byte[]> {
    private final int batchSize;
    private final Duration maxWait;
    private final AvroSerde<ContrastSet> sets;
    private final TrainingBatchEncoder encoder;
    private final String batchesTopic;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> pending;
    private String pendingTopic;
    private Accounting accounting;
    private long pendingCount;

    ContrastBatcher(int batchSize, Duration maxWait, AvroSerde<ContrastSet> sets, TrainingBatchEncoder encoder,
                    String batchesTopic) {
        this.batchSize = batchSize;
        this.maxWait = maxWait;
        this.sets = sets;
        this.encoder = encoder;
        this.batchesTopic = batchesTopic;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.pending = context.getStateStore(RewardJoinTopology.PENDING_CONTRAST_SETS_STORE);
        // The subject the store's bytes are registered under: the changelog's, as a typed store would use.
        this.pendingTopic = context.applicationId() + "-" + RewardJoinTopology.PENDING_CONTRAST_SETS_STORE
                + "-changelog";
        this.accounting = Accounting.of(context, Accounting.REWARDS_STORE);
        try (KeyValueIterator<String, byte[]> all = pending.all()) {
            all.forEachRemaining(entry -> pendingCount++);
        }
        context.schedule(maxWait, PunctuationType.WALL_CLOCK_TIME, now -> flush(now));
    }

    @Override
    public void process(Record<String, ContrastSet> record) {
        ContrastSet set = record.value();
        pending.put(set.getRequestId() + "/" + set.getRewardEventId(), sets.serialize(pendingTopic, set));
        pendingCount++;
        if (pendingCount >= batchSize) {
            flush(record.timestamp());
        }
    }

    private void flush(long timestamp) {
        if (pendingCount == 0) {
            return;
        }
        List<byte[]> encoded = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = pending.all()) {
            all.forEachRemaining(entry -> {
                keys.add(entry.key);
                encoded.add(entry.value);
            });
        }
        keys.forEach(pending::delete);
        pendingCount = 0;
        accounting.add(Accounting.BATCHES);
        accounting.add(Accounting.CONTRAST_SETS_BATCHED, encoded.size());
        String batchId = context.taskId() + "-" + keys.get(0);
        context.forward(new Record<>(batchId, encoder.encode(batchesTopic, batchId, Instant.ofEpochMilli(timestamp),
                encoded), timestamp));
    }
}
