package io.groot.trainer.model.context;

import io.groot.trainer.model.DjlOffline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pretrained encoders a labeler can use, by name, each loaded once per process and shared by every model
 * version (hot swaps do not reload it) together with its feature cache. Their files come from Maven Central jars on
 * the classpath: nothing downloads.
 */
public final class ContextEncoders {
    /** all-MiniLM-L6-v2 (Apache-2.0; uncased, 6 layers, 384 wide), fp32. */
    public static final String MINILM = "minilm";
    /**
     * The same, dynamically quantized to int8. Its activations' scale spans the batch, so each sentence runs alone
     * (its vectors do not depend on what else is encoded with it): still cheaper than fp32 in batches.
     */
    public static final String MINILM_QUANTIZED = "minilm-q";

    /**
     * all-MiniLM-L6-v2 (fp32), each piece the mean of its six layers' outputs: the last layer alone was tuned for
     * sentence embeddings, the inner ones keep more of the word (BTC span F1 +3.7 over {@link #MINILM}).
     */
    public static final String MINILM_LAYERS = "minilm-layers";

    /** {@link #MINILM_LAYERS} on the int8 model of {@link #MINILM_QUANTIZED}, one sentence a run. */
    public static final String MINILM_QUANTIZED_LAYERS = "minilm-q-layers";

    /** BAAI bge-small-en-v1.5 (MIT; uncased, 12 layers, 384 wide): twice MiniLM's cost per text. */
    public static final String BGE_SMALL = "bge-small";

    private static final int DIMENSION = 384;
    private static final int MINILM_LAYER_COUNT = 6;

    /**
     * An encoder's files (at a Maven Central jar's root), the layers whose mean is a piece's vector (empty: the last
     * one), and how many windows a run takes.
     */
    private record Spec(String model, String tokenizer, List<String> layers, int rowsPerRun) {
        static Spec fp32(String stem, List<String> layers) {
            return new Spec(stem + ".onnx", stem + "-tokenizer.json", layers, OnnxWordEncoder.BATCH_ROWS);
        }

        /** Dynamically quantized: a run's rows share their int8 scales, so each window runs alone. */
        static Spec int8(String stem, List<String> layers) {
            return new Spec(stem + ".onnx", stem + "-tokenizer.json", layers, 1);
        }
    }

    private static final Map<String, Spec> SPECS = Map.of(
            MINILM, Spec.fp32("all-minilm-l6-v2", List.of()),
            MINILM_LAYERS, Spec.fp32("all-minilm-l6-v2", layerOutputs(0, MINILM_LAYER_COUNT)),
            MINILM_QUANTIZED, Spec.int8("all-minilm-l6-v2-q", List.of()),
            MINILM_QUANTIZED_LAYERS, Spec.int8("all-minilm-l6-v2-q", layerOutputs(0, MINILM_LAYER_COUNT)),
            BGE_SMALL, Spec.fp32("bge-small-en-v1.5", List.of()));
    private static final Map<String, ContextFeatures> LOADED = new ConcurrentHashMap<>();

    private ContextEncoders() {
    }

    /** The names {@code --encoder} takes besides {@code none}. */
    public static List<String> names() {
        return List.of(MINILM_LAYERS, MINILM, MINILM_QUANTIZED, MINILM_QUANTIZED_LAYERS, BGE_SMALL);
    }

    /** The named encoder with its process-wide feature cache, loaded on first use. */
    public static ContextFeatures named(String name) {
        if (!SPECS.containsKey(name)) {
            throw new IllegalArgumentException("unknown encoder '" + name + "' (known: none, "
                    + String.join(", ", names()) + ")");
        }
        return LOADED.computeIfAbsent(name, ContextEncoders::load);
    }

    /** Empties every loaded encoder's feature cache (benchmarks: each side must encode its texts itself). */
    public static void clearCaches() {
        LOADED.values().forEach(ContextFeatures::clear);
    }

    /**
     * The outputs of MiniLM's layers [from, to) as the ONNX export of Hugging Face's BertModel names them; the last
     * layer's is {@code last_hidden_state}.
     */
    private static List<String> layerOutputs(int from, int to) {
        return java.util.stream.IntStream.range(from, to).mapToObj(i -> i == MINILM_LAYER_COUNT - 1
                ? OnnxWordEncoder.LAST_HIDDEN_STATE : "/encoder/layer." + i + "/output/LayerNorm/Add_1_output_0").toList();
    }

    private static ContextFeatures load(String name) {
        DjlOffline.ensure();  // the tokenizer is DJL's too
        Spec spec = SPECS.get(name);
        try {
            return new ContextFeatures(new OnnxWordEncoder(name, OnnxWordEncoder.resource(spec.model()),
                    new ByteArrayInputStream(OnnxWordEncoder.resource(spec.tokenizer())), DIMENSION, spec.layers(),
                    spec.rowsPerRun()),
                    ContextFeatures.DEFAULT_CACHED_FLOATS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
