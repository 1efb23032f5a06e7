package io.groot.streams.common;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What happens to a stream thread that failed. Bad records are dead-lettered, so what reaches here is an outage
 * (registry, broker): the thread is replaced and its tasks resume from their last commit, after a pause (on the
 * failed thread) that keeps an outage from turning into a loop of replacements and state restores. A failure that
 * outlasts {@code maxInARow} replacements is not going away by itself: the client shuts down (state ERROR), and
 * {@code groot streams} exits so that its supervisor restarts it and the failure shows there.
 */
public final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailureHandler.class);
    public static final int DEFAULT_MAX_IN_A_ROW = 10;

    private final FailureBackoff backoff;
    private final int maxInARow;

    /** Pauses of 1 s doubling to 15 s; five minutes without a failure start the count over. */
    public StreamThreadFailureHandler(int maxInARow) {
        this(new FailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(5)), maxInARow);
    }

    public StreamThreadFailureHandler(FailureBackoff backoff, int maxInARow) {
        if (maxInARow < 1) {
            throw new IllegalArgumentException("a failed stream thread must be replaced at least once");
        }
        this.backoff = backoff;
        this.maxInARow = maxInARow;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        FailureBackoff.Failure failure = backoff.recordFailure();
        int failures = failure.inARow();
        if (failures > maxInARow) {
            LOG.error("stream thread failed {} times in a row; shutting the instance down so that it is restarted",
                    failures, error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("stream thread failed ({} of {} in a row); replacing it in {} ms, its tasks resume from their "
                + "last commit", failures, maxInARow, failure.pause().toMillis(), error);
        try {
            Thread.sleep(failure.pause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
