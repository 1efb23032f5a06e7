package io.groot.streams;

import java.time.Duration;

/**
 * Settings of the streams side of the loop.
 *
 * @param modelName      model whose versions generate candidates
 * @param beamWidth      k: candidates per text
 * @param maxTokens      longer texts go to the dead-letter topic (reason oversized-text)
 * @param rewardWindow   a reward counts if its time is within this of its candidates' time (either order)
 * @param grace          how late (in stream time) an out-of-order record may still join
 * @param rewardFunction reward used to score members against reference feedback (e.g. f0.5)
 * @param maxCorrections most corrected sequences derived from one candidate
 * @param batchSize      contrast sets per training batch ...
 * @param batchMaxWait   ... or whatever is pending after this long (wall clock), whichever comes first
 */
public record LoopConfig(String modelName, int beamWidth, int maxTokens, Duration rewardWindow, Duration grace,
                         String rewardFunction, int maxCorrections, int batchSize, Duration batchMaxWait) {

    public static LoopConfig defaults(String modelName) {
        return new LoopConfig(modelName, 4, 128, Duration.ofHours(1), Duration.ofMinutes(5), "f0.5", 4, 32,
                Duration.ofSeconds(2));
    }
}
