package io.groot.trainer.service;

import java.util.List;

/**
 * How much of the machine the streaming trainer takes, so that serving keeps what it needs: a trainer that trains
 * whatever waits takes every cycle the serving side leaves, and its versions grow (and come later) as load rises.
 *
 * @param maxSetsPerVersion a version trains on at most this many contrast sets, the newest that wait; the older ones
 *                          are skipped (their offsets commit with the version) and counted; 0 trains on all of them
 * @param cpuShare          the share of its time the trainer spends training: after a version trained for t seconds
 *                          it rests t (1 - share) / share seconds before the next, reading sets meanwhile; 1 never
 *                          rests. Training runs on one thread, so this is a share of one core.
 */
public record TrainerBudget(int maxSetsPerVersion, double cpuShare) {

    /**
     * The default bound on a version's sets, in versions' worth of sets ({@code --examples-per-version}): chosen by the
     * loop benchmark (docs/BENCHMARKS.md), where 4 trained on 85 to 92% of the feedback at 160 to 200 texts/s with
     * freshness p99 at most 19 s, 2 on 68 to 77% (fresher, 11 to 13 s), and no bound let versions grow until
     * freshness p99 was over 55 s at every rate.
     */
    public static final int SETS_PER_VERSION_BOUND = 4;

    /** The default budget for versions of {@code examplesPerVersion} sets: {@link #SETS_PER_VERSION_BOUND} of them. */
    public static TrainerBudget forVersionsOf(int examplesPerVersion) {
        return new TrainerBudget(SETS_PER_VERSION_BOUND * examplesPerVersion, 1.0);
    }

    /** Trains every set that waits, as often as it can. */
    public static final TrainerBudget UNBOUNDED = new TrainerBudget(0, 1.0);

    public TrainerBudget {
        if (maxSetsPerVersion < 0) {
            throw new IllegalArgumentException("max sets per version must be >= 0 (0: no bound), got "
                    + maxSetsPerVersion);
        }
        if (!(cpuShare > 0 && cpuShare <= 1)) {
            throw new IllegalArgumentException("the trainer's CPU share must be in (0, 1], got " + cpuShare);
        }
    }

    /** The sets a version trains on: the newest {@link #maxSetsPerVersion} of {@code waiting} (in arrival order). */
    public <T> List<T> chosen(List<T> waiting) {
        return maxSetsPerVersion == 0 || waiting.size() <= maxSetsPerVersion ? waiting
                : waiting.subList(waiting.size() - maxSetsPerVersion, waiting.size());
    }

    /** How long to rest after a version that trained for {@code trainingMillis}. */
    public long restMillis(long trainingMillis) {
        return Math.round(trainingMillis * (1 - cpuShare) / cpuShare);
    }
}
