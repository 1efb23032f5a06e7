package io.groot.streams.join;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.schemas.serde.TrainingBatchEncoder;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.common.SourceOffsets;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.reward.RewardFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * candidates + rewards -> contrast sets -> training batches.
 *
 * <p>Rewards are validated and de-duplicated by event id; candidates and rewards of the same request id then meet
 * in {@link RewardJoiner} (either may come first), which applies GROOT's correction to produce contrast sets,
 * applies the {@link FeedbackPolicy} where several events join the same candidates, and accounts for every record
 * it cannot join. Contrast sets are batched by size or time. The candidates and rewards topics must have the same
 * partition count and be keyed by request id; rewards are re-partitioned by that key, whatever partitioner wrote
 * them.
 */
public final class RewardJoinTopology {
    public static final String SEEN_REWARD_EVENTS_STORE = "seen-reward-event-ids";
    public static final String PENDING_CONTRAST_SETS_STORE = "pending-contrast-sets";
    /** The internal topic (suffix) that re-partitions rewards by request id. */
    public static final String REWARDS_BY_REQUEST = "rewards-by-request";
    /**
     * Thread CPU time (ns) the join spends scoring and correcting candidates into contrast sets (GROOT's correct
     * step), a Kafka Streams metric of group {@link io.groot.streams.common.CpuTimer#GROUP}.
     */
    public static final String CORRECTION_CPU_METRIC = "correction-cpu-ns-total";

    private RewardJoinTopology() {
    }

    public static void build(StreamsBuilder builder, Topics topics, GrootSerdes serdes, ServingModel serving,
                             LoopConfig config) {
        Produced<String, DeadLetter> deadLetters = Produced.with(Serdes.String(), serdes.deadLetters());
        builder.addStateStore(Accounting.storeBuilder(Accounting.REWARDS_STORE));
        // Seen event ids are remembered for twice the time a reward can still join: a window store forgets them
        // a segment at a time as stream time passes, where a key-value store would need a scan of every id.
        Duration dedupMemory = config.rewardWindow().plus(config.grace()).multipliedBy(2);
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_REWARD_EVENTS_STORE,
                dedupMemory, dedupMemory, false), Serdes.String(), Serdes.Long()));
        // At most one batch per task waits here, so memory (restored from the changelog) beats RocksDB. Cached: a set
        // is batched (deleted) within a few ms of being stored, so most reach the changelog as a tombstone only,
        // not as the whole set a second time (its bytes go to the training batch anyway).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_CONTRAST_SETS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        for (String store : new String[]{RewardJoiner.CANDIDATES_STORE, RewardJoiner.FEEDBACK_STORE,
                RewardJoiner.HELD_FEEDBACK_STORE}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                    Serdes.String(), serdes.pendingRecords()));
        }
        for (String store : new String[]{RewardJoiner.CLOSED_REQUESTS_STORE, RewardJoiner.DEADLINES_STORE,
                RewardJoiner.JOINS_STORE}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                    Serdes.String(), Serdes.Long()));
        }

        // Rewards go through an internal topic partitioned by request id with Java's partitioner, the one Kafka
        // Streams writes the candidates with: a producer using another partitioner (librdkafka's CRC32, the
        // default of Python, Go, .NET clients and kcat) would otherwise put a reward in another partition than its
        // candidates, where it never joins. Texts need nothing: candidates are written by this application.
        KStream<String, byte[]> rewards = builder.stream(topics.rewards(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("rewards"))
                .process(SourceOffsets::<byte[]>stamper, Named.as("stamp-reward-source"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName(REWARDS_BY_REQUEST));
        KStream<String, JoinInput> feedback = DeadLetters.split(
                rewards
                        .processValues(() -> new RewardValidator(serdes.rewards(), serving, dedupMemory),
                                Named.as("validate-rewards"), SEEN_REWARD_EVENTS_STORE, Accounting.REWARDS_STORE),
                "rewards", topics.deadLetters(), deadLetters);
        KStream<String, JoinInput> candidates = DeadLetters.split(
                builder.stream(topics.candidates(),
                                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("candidates-in"))
                        .processValues(() -> new CandidatesReader(serdes.candidates()),
                                Named.as("read-candidates"), Accounting.REWARDS_STORE),
                "candidates", topics.deadLetters(), deadLetters);

        ContrastSetBuilder contrast = new ContrastSetBuilder(RewardFunction.parse(config.rewardFunction()),
                new Corrector(config.maxCorrections()));
        KStream<String, ContrastSet> contrastSets = DeadLetters.split(
                candidates.merge(feedback, Named.as("join-inputs"))
                        .process(() -> new RewardJoiner(contrast, config.feedbackPolicy(), serdes.candidates(),
                                        serdes.rewards(), config.rewardWindow(), config.grace(), config.idleExpiry()),
                                Named.as("join-feedback"), RewardJoiner.CANDIDATES_STORE, RewardJoiner.FEEDBACK_STORE,
                                RewardJoiner.HELD_FEEDBACK_STORE,
                                RewardJoiner.CLOSED_REQUESTS_STORE, RewardJoiner.DEADLINES_STORE,
                                RewardJoiner.JOINS_STORE, Accounting.REWARDS_STORE),
                "joined", topics.deadLetters(), deadLetters);

        TrainingBatchEncoder batches = new TrainingBatchEncoder(serdes.trainingBatches(), serdes.contrastSets());
        contrastSets.process(() -> new ContrastBatcher(config.batchSize(), config.batchMaxWait(),
                                serdes.contrastSets(), batches, topics.trainingBatches()),
                        Named.as("batch-contrast-sets"), PENDING_CONTRAST_SETS_STORE, Accounting.REWARDS_STORE)
                .to(topics.trainingBatches(), Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("training-batches"));
    }
}
