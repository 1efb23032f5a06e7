package io.groot.streams.join;

import io.groot.schemas.CandidateReward;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.serde.AvroSerde;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.SourceOffsets;
import io.groot.streams.common.Routed;
import io.groot.streams.serving.ServingModel;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads reward events from raw bytes, refuses malformed or invalid feedback (dead letters with the reason), and
 * drops redelivered events by event id so that no feedback trains twice (counted as duplicates). An event is a
 * duplicate if its id was seen with a time at most {@code memory} from its own; ids live in a changelogged window
 * store of that retention, which drops them a segment at a time as stream time passes (Kafka Streams' own
 * de-duplication pattern), so memory costs no scan.
 */
final class RewardValidator implements FixedKeyProcessor<String, byte[], Routed<JoinInput>> {
    private final AvroSerde<RewardEvent> rewards;
    private final ServingModel serving;
    private final long memoryMs;
    private FixedKeyProcessorContext<String, Routed<JoinInput>> context;
    private WindowStore<String, Long> seen;
    private Accounting accounting;

    RewardValidator(AvroSerde<RewardEvent> rewards, ServingModel serving, Duration memory) {
        this.rewards = rewards;
        this.serving = serving;
        this.memoryMs = memory.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<JoinInput>> context) {
        this.context = context;
        this.seen = context.getStateStore(RewardJoinTopology.SEEN_REWARD_EVENTS_STORE);
        this.accounting = Accounting.of(context, Accounting.REWARDS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        accounting.add(Accounting.REWARDS_RECEIVED);
        Optional<RecordMetadata> source = context.recordMetadata();
        if (record.key() == null || record.key().isEmpty() || record.key().equals(SourceOffsets.NULL_KEY)) {
            reject(record, "missing-key", "rewards must be keyed by request id, like their texts (key is "
                    + (record.key() == null || record.key().equals(SourceOffsets.NULL_KEY) ? "null" : "empty") + ")");
            return;
        }
        if (record.value() == null) {
            reject(record, "tombstone", "a null value (a tombstone) is not a reward");
            return;
        }
        RewardEvent reward;
        try {
            reward = rewards.deserialize(source.map(RecordMetadata::topic).orElse(""), record.value());
        } catch (RuntimeException e) {
            reject(record, DeadLetters.unreadableReason(e), e.getMessage());
            return;
        }
        if (!record.key().equals(reward.getRequestId())) {
            // The key routes the reward to its candidates; a value that names another request is a producer bug.
            reject(record, "key-mismatch", "key '" + record.key() + "' is not the reward's request id '"
                    + reward.getRequestId() + "'");
            return;
        }
        Problem problem = problemWith(reward);
        if (problem != null) {
            reject(record, problem.reason(), problem.error());
            return;
        }
        String id = record.key() + "/" + reward.getEventId();
        long time = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, Math.max(0, time - memoryMs),
                time > Long.MAX_VALUE - memoryMs ? Long.MAX_VALUE : time + memoryMs)) {
            if (earlier.hasNext()) {
                accounting.add(Accounting.REWARDS_DUPLICATE);
                return;
            }
        }
        seen.put(id, time, time);
        context.forward(record.withValue(Routed.ok(JoinInput.ofFeedback(reward, record.value()))));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, String reason, String error) {
        accounting.deadLettered(Accounting.REWARDS_DEAD_LETTERED, reason);
        DeadLetters.forward(context, record, reason, error);
    }

    /** Why feedback cannot be used: a dead-letter reason code and an explanation. */
    private record Problem(String reason, String error) {
    }

    /** What is wrong with the feedback, or null if it is usable. */
    private Problem problemWith(RewardEvent reward) {
        if (reward == null) {
            return new Problem("empty-feedback", "tombstone reward");
        }
        boolean hasReference = reward.getReferenceLabels() != null;
        boolean hasScalars = reward.getScalarRewards() != null;
        if (hasReference == hasScalars) {
            return hasReference
                    ? new Problem("ambiguous-feedback", "both reference labels and scalar rewards are set")
                    : new Problem("empty-feedback", "neither reference labels nor scalar rewards are set");
        }
        if (hasReference) {
            List<String> unknown = new ArrayList<>();
            serving.apply((version, labeler) -> {
                reward.getReferenceLabels().stream().filter(l -> !labeler.vocabulary().hasLabel(l)).distinct()
                        .forEach(unknown::add);
                return null;
            });
            if (reward.getReferenceLabels().isEmpty()) {
                return new Problem("empty-feedback", "reference labelling is empty");
            }
            return unknown.isEmpty() ? null
                    : new Problem("unknown-label", "labels outside the model's label set: " + unknown);
        }
        for (CandidateReward scalar : reward.getScalarRewards()) {
            double value = scalar.getReward();
            if (Double.isNaN(value) || value < 0 || value > 1) {
                return new Problem("invalid-reward",
                        "reward " + value + " for rank " + scalar.getRank() + " is not in [0, 1]");
            }
        }
        return reward.getScalarRewards().isEmpty() ? new Problem("empty-feedback", "no scalar rewards") : null;
    }
}
