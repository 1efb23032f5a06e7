package io.groot.trainer.model;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run a labeler off the thread that drives Kafka (inference beside a stream thread, training beside a
 * consumer), so that thread keeps polling and committing while the model works.
 */
public final class ModelThreads {
    private ModelThreads() {
    }

    /** {@code threads} daemon threads named {@code name-1, name-2, ...}. */
    public static ExecutorService start(String name, int threads) {
        AtomicInteger named = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, work -> {
            Thread thread = new Thread(work, name + "-" + named.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Lets the work already submitted finish (within {@code patience}) and takes no more: whoever waits on a
     * result gets it, and the labeler is not freed under a running step.
     */
    public static void stop(ExecutorService threads, Duration patience) {
        threads.shutdown();
        try {
            threads.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
