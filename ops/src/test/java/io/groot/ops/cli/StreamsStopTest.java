package io.groot.ops.cli;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** How {@code groot streams} ends: on SIGTERM, or with an error when Kafka Streams has stopped on its own. */
class StreamsStopTest {
    private static final Duration EVERY = Duration.ofMillis(10);

    @Test
    void aStopEndsTheWaitWhileKafkaStreamsRunsOrRebalances() {
        for (KafkaStreams.State alive : new KafkaStreams.State[]{KafkaStreams.State.RUNNING,
                KafkaStreams.State.REBALANCING}) {
            CountDownLatch stopping = new CountDownLatch(1);
            new Thread(() -> {
                sleep(100);
                stopping.countDown();
            }).start();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    StreamsCommand.awaitStopOrFailure(stopping, () -> alive, EVERY));
        }
    }

    @Test
    void kafkaStreamsInErrorOrNotRunningWithoutAStopEndsTheCommandWithAnError() {
        for (KafkaStreams.State stoppedOnItsOwn : new KafkaStreams.State[]{KafkaStreams.State.ERROR,
                KafkaStreams.State.NOT_RUNNING}) {
            IllegalStateException error = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThrows(IllegalStateException.class, () ->
                            StreamsCommand.awaitStopOrFailure(new CountDownLatch(1), () -> stoppedOnItsOwn, EVERY)));
            assertTrue(error.getMessage().contains("state " + stoppedOnItsOwn), error.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
