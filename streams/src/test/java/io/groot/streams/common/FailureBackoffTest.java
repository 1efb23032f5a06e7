package io.groot.streams.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureBackoffTest {

    @Test
    void pausesDoubleWhileFailuresFollowEachOtherUpToTheMaximumAndStartOverAfterAQuietPeriod() {
        AtomicLong now = new AtomicLong();
        FailureBackoff backoff = new FailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofMinutes(1), now::get);
        assertEquals(Duration.ofSeconds(1), backoff.afterFailure());
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(Duration.ofSeconds(2), backoff.afterFailure());
        assertEquals(Duration.ofSeconds(4), backoff.afterFailure());
        assertEquals(Duration.ofSeconds(5), backoff.afterFailure(), "capped");
        assertEquals(Duration.ofSeconds(5), backoff.afterFailure());
        assertEquals(5, backoff.failuresInARow());
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertEquals(Duration.ofSeconds(1), backoff.afterFailure(), "a minute without failures starts over");
        assertEquals(1, backoff.failuresInARow());
    }
}
