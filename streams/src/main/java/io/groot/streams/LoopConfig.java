package io.groot.streams;

import io.groot.streams.join.FeedbackPolicy;

import java.time.Duration;
import java.util.Objects;

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
 * @param inferenceBatch texts run through one batched beam search ...
 * @param inferenceWait  ... or whatever texts wait after this long (wall clock), whichever comes first
 * @param inferencePipeline batches a task may hand to the inference threads before it waits for the oldest, so
 *                       that its stream thread goes on reading and committing while the model works; 0 runs the
 *                       model on the stream thread
 * @param feedbackPolicy what trains when several feedback events join the same candidates
 * @param idleExpiry     a join task that has read nothing for this long (wall clock) lets its stream time run on
 *                       with the wall clock, so that what waits on an idle partition still expires, at most
 *                       window + grace after it came; {@link Duration#ZERO} keeps strict stream time (a replay
 *                       that may stall longer than this should)
 */
public record LoopConfig(String modelName, int beamWidth, int maxTokens, Duration rewardWindow, Duration grace,
                         String rewardFunction, int maxCorrections, int batchSize, Duration batchMaxWait,
                         int inferenceBatch, Duration inferenceWait, int inferencePipeline,
                         FeedbackPolicy feedbackPolicy, Duration idleExpiry) {

    public static final int DEFAULT_INFERENCE_BATCH = 32;
    public static final Duration DEFAULT_INFERENCE_WAIT = Duration.ofMillis(20);
    /**
     * One batch with the model while the next fills; when the next is full it queues behind the first and the
     * stream thread waits for the first, so the model is kept busy under load.
     */
    public static final int DEFAULT_INFERENCE_PIPELINE = 1;

    public LoopConfig {
        if (inferenceBatch < 1 || inferencePipeline < 0) {
            throw new IllegalArgumentException("inference batch must be at least 1 and pipeline depth at least 0");
        }
        Objects.requireNonNull(feedbackPolicy, "feedbackPolicy");
        if (idleExpiry.isNegative()) {
            throw new IllegalArgumentException("idle expiry must not be negative");
        }
    }

    /** With the default inference batching (32 texts or 20 ms), first-wins feedback and idle expiry after the grace. */
    public LoopConfig(String modelName, int beamWidth, int maxTokens, Duration rewardWindow, Duration grace,
                      String rewardFunction, int maxCorrections, int batchSize, Duration batchMaxWait) {
        this(modelName, beamWidth, maxTokens, rewardWindow, grace, rewardFunction, maxCorrections, batchSize,
                batchMaxWait, DEFAULT_INFERENCE_BATCH, DEFAULT_INFERENCE_WAIT, DEFAULT_INFERENCE_PIPELINE,
                FeedbackPolicy.FIRST_WINS, grace);
    }

    public static LoopConfig defaults(String modelName) {
        return new LoopConfig(modelName, 4, 128, Duration.ofHours(1), Duration.ofMinutes(5), "f0.5", 4, 32,
                Duration.ofSeconds(2));
    }

    public LoopConfig withInferenceBatching(int texts, Duration wait) {
        return new LoopConfig(modelName, beamWidth, maxTokens, rewardWindow, grace, rewardFunction, maxCorrections,
                batchSize, batchMaxWait, texts, wait, inferencePipeline, feedbackPolicy, idleExpiry);
    }

    public LoopConfig withInferencePipeline(int batches) {
        return new LoopConfig(modelName, beamWidth, maxTokens, rewardWindow, grace, rewardFunction, maxCorrections,
                batchSize, batchMaxWait, inferenceBatch, inferenceWait, batches, feedbackPolicy, idleExpiry);
    }

    public LoopConfig withFeedbackPolicy(FeedbackPolicy policy) {
        return new LoopConfig(modelName, beamWidth, maxTokens, rewardWindow, grace, rewardFunction, maxCorrections,
                batchSize, batchMaxWait, inferenceBatch, inferenceWait, inferencePipeline, policy, idleExpiry);
    }

    public LoopConfig withIdleExpiry(Duration after) {
        return new LoopConfig(modelName, beamWidth, maxTokens, rewardWindow, grace, rewardFunction, maxCorrections,
                batchSize, batchMaxWait, inferenceBatch, inferenceWait, inferencePipeline, feedbackPolicy, after);
    }
}
