package io.groot.ops.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM (or SIGINT) for a long-running command: the main thread waits on {@link #stopping}, then closes what it
 * runs; the shutdown hook holds the JVM, which halts once its hooks return, until {@link #close} says that is done.
 */
final class Shutdown implements AutoCloseable {
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    private Shutdown() {
    }

    /** Registers the hook, named {@code name}; it waits at most {@code patience} for the close. */
    static Shutdown hook(String name, Duration patience) {
        Shutdown shutdown = new Shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.stopping.countDown();
            try {
                shutdown.closed.await(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name));
        return shutdown;
    }

    /** Counted down when the process is asked to stop. */
    CountDownLatch stopping() {
        return stopping;
    }

    /** Everything is closed: the JVM may halt. */
    @Override
    public void close() {
        closed.countDown();
    }
}
