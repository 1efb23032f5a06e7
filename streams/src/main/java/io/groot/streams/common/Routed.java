package io.groot.streams.common;

import io.groot.schemas.DeadLetter;

/** A processor's outcome: a value to pass on, or a dead letter explaining why there is none. */
public record Routed<V>(V value, DeadLetter deadLetter) {

    public static <V> Routed<V> ok(V value) {
        return new Routed<>(value, null);
    }

    public static <V> Routed<V> dead(DeadLetter deadLetter) {
        return new Routed<>(null, deadLetter);
    }

    public boolean isDead() {
        return deadLetter != null;
    }
}
