package io.groot.streams.join;

import io.groot.schemas.TopicReader;
import io.groot.streams.accounting.AccountingReader;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What waits in the join, read from its deadline index's changelog: rewards whose candidates have not come, and
 * candidate sets no feedback has joined yet, each with the record time of the oldest. The books count them as
 * pending; this says for how long, so that a reward stuck on a partition shows before its window closes.
 *
 * @param oldestReward     record time of the oldest waiting reward, empty when none waits
 * @param oldestCandidates record time of the oldest waiting candidate set, empty when none waits
 */
public record JoinBacklog(long rewardsWaiting, Optional<Instant> oldestReward, long candidatesWaiting,
                          Optional<Instant> oldestCandidates) {

    public static JoinBacklog read(Properties clientConfig, String applicationId, Duration timeout) {
        String changelog = AccountingReader.changelog(applicationId, RewardJoiner.DEADLINES_STORE);
        Map<String, Long> latest = new HashMap<>();
        if (!AccountingReader.existing(clientConfig, timeout, changelog).isEmpty()) {
            TopicReader.forEachCommitted(clientConfig, List.of(changelog), new StringDeserializer(),
                    new LongDeserializer(), timeout, null, record -> {
                        if (record.value() == null) {
                            latest.remove(record.key());
                        } else {
                            latest.put(record.key(), record.value());
                        }
                    });
        }
        long rewards = 0;
        long candidates = 0;
        long oldestReward = Long.MAX_VALUE;
        long oldestCandidates = Long.MAX_VALUE;
        for (Map.Entry<String, Long> entry : latest.entrySet()) {
            if (RewardJoiner.isFeedbackDeadline(entry.getKey())) {
                rewards++;
                oldestReward = Math.min(oldestReward, entry.getValue());
            } else if (RewardJoiner.isCandidatesDeadline(entry.getKey())) {
                candidates++;
                oldestCandidates = Math.min(oldestCandidates, entry.getValue());
            }
        }
        return new JoinBacklog(rewards, instant(oldestReward), candidates, instant(oldestCandidates));
    }

    /** How long ago, by {@code now}, the oldest waiting reward was written; empty when none waits. */
    public Optional<Duration> oldestRewardAge(Instant now) {
        return oldestReward.map(time -> Duration.between(time, now));
    }

    public Optional<Duration> oldestCandidatesAge(Instant now) {
        return oldestCandidates.map(time -> Duration.between(time, now));
    }

    private static Optional<Instant> instant(long epochMs) {
        return epochMs == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(epochMs));
    }
}
