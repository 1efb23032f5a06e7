package io.groot.streams.join;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.LoopConfig;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.LoopCounters;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.reward.RewardFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.state.Stores;

/**
 * candidates + rewards -> contrast sets -> training batches.
 *
 * <p>Rewards are validated and de-duplicated by event id, then joined with the candidates of the same request
 * id when their times are within the reward window (either may come first; out-of-order records join within the
 * grace). Each join applies GROOT's correction to produce a contrast set; sets are batched by size or time.
 */
public final class RewardJoinTopology {
    public static final String SEEN_REWARD_EVENTS_STORE = "seen-reward-events";
    public static final String PENDING_CONTRAST_SETS_STORE = "pending-contrast-sets";
    public static final String JOIN_STORE = "reward-join";

    private RewardJoinTopology() {
    }

    public static void build(StreamsBuilder builder, Topics topics, GrootSerdes serdes, ServingModel serving,
                             LoopConfig config, LoopCounters counters) {
        Produced<String, io.groot.schemas.DeadLetter> deadLetters =
                Produced.with(Serdes.String(), serdes.deadLetters());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEEN_REWARD_EVENTS_STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_CONTRAST_SETS_STORE),
                Serdes.String(), serdes.contrastSets()));

        KStream<String, byte[]> rawRewards = builder.stream(topics.rewards(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("rewards"));
        KStream<String, RewardEvent> rewards = DeadLetters.split(
                rawRewards.processValues(() -> new RewardValidator(serdes.rewards(), serving,
                                config.rewardWindow().plus(config.grace()).multipliedBy(2), counters),
                        Named.as("validate-rewards"), SEEN_REWARD_EVENTS_STORE),
                "rewards", topics.deadLetters(), deadLetters);

        KStream<String, CandidateSet> candidates = builder.stream(topics.candidates(),
                Consumed.with(Serdes.String(), serdes.candidates()).withName("candidates-in"));
        ContrastSetBuilder contrast = new ContrastSetBuilder(RewardFunction.parse(config.rewardFunction()),
                new Corrector(config.maxCorrections()));
        KStream<String, ContrastSet> contrastSets = DeadLetters.split(
                candidates.join(rewards, new ContrastJoiner(contrast, serdes.rewards(), topics.rewards()),
                        JoinWindows.ofTimeDifferenceAndGrace(config.rewardWindow(), config.grace()),
                        StreamJoined.with(Serdes.String(), serdes.candidates(), serdes.rewards())
                                .withName(JOIN_STORE).withStoreName(JOIN_STORE)),
                "joined", topics.deadLetters(), deadLetters);

        contrastSets.process(() -> new ContrastBatcher(config.batchSize(), config.batchMaxWait()),
                        Named.as("batch-contrast-sets"), PENDING_CONTRAST_SETS_STORE)
                .to(topics.trainingBatches(), Produced.with(Serdes.String(), serdes.trainingBatches())
                        .withName("training-batches"));
    }
}
