package io.groot.streams.serving;

import io.groot.trainer.model.Labeler;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;

/**
 * The model version inference uses now. Swapping is atomic: a call in progress finishes on the version it
 * started with; the replaced version is closed (its native memory freed) once no call uses it.
 */
public final class ServingModel implements AutoCloseable {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Condition swapped = lock.writeLock().newCondition();
    private Labeler labeler;
    private long version = -1;

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

    @Override
    public void close() {
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
