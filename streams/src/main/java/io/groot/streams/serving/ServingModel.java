package io.groot.streams.serving;

import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ModelThreads;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;

/**
 * The model version inference uses now. Swapping is atomic: a call in progress finishes on the version it
 * started with; the replaced version is closed (its native memory freed) once no call uses it.
 *
 * <p>Inference can also run on the model's own threads ({@link #submit}), so that a stream thread goes on
 * consuming and committing while a batch is decoded.
 */
public final class ServingModel implements AutoCloseable {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Condition swapped = lock.writeLock().newCondition();
    private final ExecutorService inferenceThreads;
    private Labeler labeler;
    private long version = -1;

    /** With one inference thread. */
    public ServingModel() {
        this(1);
    }

    /** @param inferenceThreads threads that run {@link #submit}ted inference (one per stream thread keeps pace) */
    public ServingModel(int inferenceThreads) {
        if (inferenceThreads < 1) {
            throw new IllegalArgumentException("inference threads must be at least 1, got " + inferenceThreads);
        }
        this.inferenceThreads = ModelThreads.start("groot-inference", inferenceThreads);
    }

    /** Runs {@code inference} with the current version and labeler. @throws IllegalStateException if none yet */
    public <T> T apply(BiFunction<Long, Labeler, T> inference) {
        lock.readLock().lock();
        try {
            if (labeler == null) {
                throw new IllegalStateException("no model version is being served yet");
            }
            return inference.apply(version, labeler);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code inference} like {@link #apply}, on one of the inference threads; results come in any order. */
    public <T> CompletableFuture<T> submit(BiFunction<Long, Labeler, T> inference) {
        return CompletableFuture.supplyAsync(() -> apply(inference), inferenceThreads);
    }

    public void swap(long newVersion, Labeler newLabeler) {
        Labeler replaced;
        lock.writeLock().lock();
        try {
            replaced = labeler;
            labeler = newLabeler;
            version = newVersion;
            swapped.signalAll();
        } finally {
            lock.writeLock().unlock();
        }
        if (replaced != null) {
            replaced.close();
        }
    }

    public OptionalLong version() {
        lock.readLock().lock();
        try {
            return labeler == null ? OptionalLong.empty() : OptionalLong.of(version);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Waits until some version is served; returns whether one is. */
    public boolean awaitAnyVersion(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.writeLock().lock();
        try {
            while (labeler == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                swapped.awaitNanos(left);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Lets submitted inference finish (nobody waits forever on a dropped batch), then frees the model. */
    @Override
    public void close() {
        ModelThreads.stop(inferenceThreads, Duration.ofSeconds(30));
        lock.writeLock().lock();
        try {
            if (labeler != null) {
                labeler.close();
                labeler = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
