package io.groot.streams.join;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.TrainingBatch;
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
 */
final class ContrastBatcher implements Processor<String, ContrastSet, String, TrainingBatch> {
    private final int batchSize;
    private final Duration maxWait;
    private ProcessorContext<String, TrainingBatch> context;
    private KeyValueStore<String, ContrastSet> pending;
    private Accounting accounting;
    private long pendingCount;

    ContrastBatcher(int batchSize, Duration maxWait) {
        this.batchSize = batchSize;
        this.maxWait = maxWait;
    }

    @Override
    public void init(ProcessorContext<String, TrainingBatch> context) {
        this.context = context;
        this.pending = context.getStateStore(RewardJoinTopology.PENDING_CONTRAST_SETS_STORE);
        this.accounting = Accounting.of(context, Accounting.REWARDS_STORE);
        try (KeyValueIterator<String, ContrastSet> all = pending.all()) {
            all.forEachRemaining(entry -> pendingCount++);
        }
        context.schedule(maxWait, PunctuationType.WALL_CLOCK_TIME, now -> flush(now));
    }

    @Override
    public void process(Record<String, ContrastSet> record) {
        ContrastSet set = record.value();
        pending.put(set.getRequestId() + "/" + set.getRewardEventId(), set);
        pendingCount++;
        if (pendingCount >= batchSize) {
            flush(record.timestamp());
        }
    }

    private void flush(long timestamp) {
        if (pendingCount == 0) {
            return;
        }
        List<ContrastSet> sets = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ContrastSet> all = pending.all()) {
            all.forEachRemaining(entry -> {
                keys.add(entry.key);
                sets.add(entry.value);
            });
        }
        keys.forEach(pending::delete);
        pendingCount = 0;
        accounting.add(Accounting.BATCHES);
        accounting.add(Accounting.CONTRAST_SETS_BATCHED, sets.size());
        String batchId = context.taskId() + "-" + keys.get(0);
        context.forward(new Record<>(batchId, new TrainingBatch(batchId, Instant.ofEpochMilli(timestamp), sets),
                timestamp));
    }
}
