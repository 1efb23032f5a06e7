package io.groot.trainer.model.context;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inner layers of the real all-MiniLM-L6-v2, exposed by editing its graph, and their mean as the word vectors. */
class OnnxGraphOutputsTest {
    private static final String LAYER_3 = "/encoder/layer.3/output/LayerNorm/Add_1_output_0";
    private static final List<List<String>> SENTENCE = List.of(List.of("Apple", "opens", "a", "store", "in",
            "Flightaware", "@", "Paris"));

    private static OnnxWordEncoder encoder(List<String> layers) throws Exception {
        byte[] model = OnnxWordEncoder.resource("all-minilm-l6-v2.onnx");
        return new OnnxWordEncoder("test", model, new ByteArrayInputStream(
                OnnxWordEncoder.resource("all-minilm-l6-v2-tokenizer.json")), 384, layers, OnnxWordEncoder.BATCH_ROWS);
    }

    @Test
    void theMeanOfTwoLayersIsTheMeanOfEachLayerReadAlone() throws Exception {
        float[] last;
        float[] third;
        float[] mean;
        try (OnnxWordEncoder plain = encoder(List.of());
             OnnxWordEncoder inner = encoder(List.of(LAYER_3));
             OnnxWordEncoder both = encoder(List.of(LAYER_3, OnnxWordEncoder.LAST_HIDDEN_STATE))) {
            last = plain.encode(SENTENCE).get(0);
            third = inner.encode(SENTENCE).get(0);
            mean = both.encode(SENTENCE).get(0);
        }
        float[] expected = new float[last.length];
        double difference = 0;
        for (int i = 0; i < last.length; i++) {
            expected[i] = (last[i] + third[i]) / 2;
            difference += Math.abs(last[i] - third[i]);
        }
        // The inner layer is a tensor of its own, not the output read twice.
        assertTrue(difference / last.length > 0.05, "layer 3 reads like the last layer: " + difference);
        assertArrayEquals(expected, mean, 1e-5f);
    }

    @Test
    void bytesThatAreNotAModelAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> OnnxGraphOutputs.withOutputs(new byte[]{0x0f, 0x01, 0x02}, List.of(LAYER_3)));
        assertThrows(IllegalArgumentException.class,
                () -> OnnxGraphOutputs.withOutputs(new byte[]{0x08, 0x06}, List.of(LAYER_3)));
    }
}
