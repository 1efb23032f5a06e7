package io.groot.streams.join;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.serde.AvroSerde;
import io.groot.streams.common.Routed;
import io.groot.streams.common.DeadLetters;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.InvalidFeedbackException;
import org.apache.kafka.streams.kstream.ValueJoiner;

import java.util.Optional;

/** Candidates + feedback -> a GROOT contrast set (correct step), or a dead letter if the feedback does not fit. */
final class ContrastJoiner implements ValueJoiner<CandidateSet, RewardEvent, Routed<ContrastSet>> {
    private final ContrastSetBuilder builder;
    private final AvroSerde<RewardEvent> rewards;
    private final String rewardsTopic;

    ContrastJoiner(ContrastSetBuilder builder, AvroSerde<RewardEvent> rewards, String rewardsTopic) {
        this.builder = builder;
        this.rewards = rewards;
        this.rewardsTopic = rewardsTopic;
    }

    @Override
    public Routed<ContrastSet> apply(CandidateSet candidates, RewardEvent reward) {
        try {
            return Routed.ok(builder.build(candidates, reward, null));
        } catch (InvalidFeedbackException e) {
            return Routed.dead(DeadLetters.of(rewards.serialize(rewardsTopic, reward), e.reason(), e.getMessage(),
                    Optional.empty()));
        }
    }
}
