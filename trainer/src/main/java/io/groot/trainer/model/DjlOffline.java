package io.groot.trainer.model;

/**
 * DJL's engine start looks up hosts outside this machine (a cloud metadata address, its model index) unless
 * {@code ai.djl.offline} is true. Every entry point sets it (the launcher, Surefire, the Dockerfile); this guard
 * sets it too before the first engine start, so that a JVM started any other way (JMH, an IDE, an embedding
 * application) cannot call home either. The PyTorch natives come from Maven Central on the classpath.
 */
public final class DjlOffline {
    public static final String PROPERTY = "ai.djl.offline";

    private DjlOffline() {
    }

    /** Sets {@code ai.djl.offline=true} and PyTorch as DJL's default engine, unless already set. */
    public static void ensure() {
        if (!"true".equals(System.getProperty(PROPERTY))) {
            System.setProperty(PROPERTY, "true");
        }
        if (System.getProperty("ai.djl.default_engine") == null) {
            // The tokenizers jar brings a second engine (Rust); DJL must never pick it, or start it.
            System.setProperty("ai.djl.default_engine", "PyTorch");
        }
    }
}
