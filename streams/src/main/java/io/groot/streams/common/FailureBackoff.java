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

    /** Records a failure and returns how long to pause before the next try. */
    public synchronized Duration afterFailure() {
        long now = nanoTime.getAsLong();
        boolean follows = last != null && now - lastFailureNanos < quiet.toNanos();
        last = follows ? min(last.multipliedBy(2), max) : first;
        inARow = follows ? inARow + 1 : 1;
        lastFailureNanos = now;
        return last;
    }

    /** Failures so far without a quiet period between them, the last one included. */
    public synchronized int failuresInARow() {
        return inARow;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
