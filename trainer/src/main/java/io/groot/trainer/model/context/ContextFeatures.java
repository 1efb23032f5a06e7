package io.groot.trainer.model.context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An encoder's word vectors with a bounded least-recently-used cache by sentence: the encoder is frozen, so a
 * sentence's vectors never change, and training revisits the same sentences every epoch (and the trainer meets the
 * texts serving encoded). The cache is bounded by the floats it holds.
 */
public final class ContextFeatures {
    /** 64 M floats: 256 MB, a data set's train and valid splits of short texts. */
    static final long DEFAULT_CACHED_FLOATS = 64L << 20;

    private final WordContextEncoder encoder;
    private final long maxFloats;
    private final LinkedHashMap<List<String>, float[]> cache = new LinkedHashMap<>(1024, 0.75f, true);
    private long cachedFloats;

    public ContextFeatures(WordContextEncoder encoder, long maxFloats) {
        this.encoder = encoder;
        this.maxFloats = maxFloats;
    }

    public WordContextEncoder encoder() {
        return encoder;
    }

    public int dimension() {
        return encoder.dimension();
    }

    /** Each sentence's vectors ({@code words * dimension} floats), encoding only those not cached. */
    public List<float[]> of(List<? extends List<String>> sentences) {
        List<float[]> out = new ArrayList<>(sentences.size());
        List<List<String>> missing = new ArrayList<>();
        synchronized (this) {
            for (List<String> sentence : sentences) {
                float[] cached = cache.get(sentence);
                out.add(cached);
                if (cached == null) {
                    missing.add(List.copyOf(sentence));
                }
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        List<float[]> encoded = encoder.encode(missing);
        synchronized (this) {
            int next = 0;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i) == null) {
                    float[] vectors = encoded.get(next);
                    out.set(i, vectors);
                    remember(missing.get(next++), vectors);
                }
            }
        }
        return out;
    }

    private void remember(List<String> sentence, float[] vectors) {
        if (vectors.length > maxFloats) {
            return;
        }
        float[] previous = cache.put(sentence, vectors);
        cachedFloats += vectors.length - (previous == null ? 0 : previous.length);
        var eldest = cache.entrySet().iterator();
        while (cachedFloats > maxFloats && eldest.hasNext()) {
            Map.Entry<List<String>, float[]> entry = eldest.next();
            cachedFloats -= entry.getValue().length;
            eldest.remove();
        }
    }

    public synchronized void clear() {
        cache.clear();
        cachedFloats = 0;
    }
}
