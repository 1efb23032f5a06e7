package io.groot.streams.common;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Pauses between retries of something that keeps failing: {@code first}, doubled with each failure in a row, at
 * most {@code max}. A failure after {@code quiet} without one starts over from {@code first}.
 */
public final class FailureBackoff {
    private final Duration first;
    private final Duration max;
    private final Duration quiet;
    private final LongSupplier nanoTime;
    private Duration last;
    private long lastFailureNanos;
    private int inARow;

    public FailureBackoff(Duration first, Duration max, Duration quiet) {
        this(first, max, quiet, System::nanoTime);
    }

    FailureBackoff(Duration first, Duration max, Duration quiet, LongSupplier nanoTime) {
        this.first = first;
        this.max = max;
        this.quiet = quiet;
        this.nanoTime = nanoTime;
    }

    /** A failure as recorded: the pause before the next try, and the failures in a row it makes. */
    public record Failure(Duration pause, int inARow) {
    }

    /**
     * Records a failure; its pause and count are read together, so threads that fail at once each get their own.
     */
    public synchronized Failure recordFailure() {
        long now = nanoTime.getAsLong();
        boolean follows = last != null && now - lastFailureNanos < quiet.toNanos();
        last = follows ? min(last.multipliedBy(2), max) : first;
        inARow = follows ? inARow + 1 : 1;
        lastFailureNanos = now;
        return new Failure(last, inARow);
    }

    /** Records a failure and returns how long to pause before the next try. */
    public Duration afterFailure() {
        return recordFailure().pause();
    }

    /** Failures so far without a quiet period between them, the last one included. */
    public synchronized int failuresInARow() {
        return inARow;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
