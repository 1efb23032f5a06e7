package io.groot.trainer.model.context;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.groot.trainer.artifact.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A BERT-style sentence encoder exported to ONNX (MiniLM and its kin), run with ONNX Runtime on the CPU, used for
 * word vectors: each word is split into word pieces on its own (the tokenizer's pre-tokenizer splits words apart
 * anyway, and it sidesteps the shipped tokenizer.json's silent truncation and padding), the sentence's pieces go
 * through the model between [CLS] and [SEP], and a word's vector is the mean of its pieces' last hidden states.
 *
 * <p>Sentences longer than {@link #WINDOW_PIECES} pieces are cut into windows at word boundaries (the model takes
 * 512 at most and was trained on shorter text). A word with no pieces (zero-width space, NUL) reads as [UNK]. Rows
 * are batched by piece count, each row masked to its own length: fp32 gives a sentence the same vectors whatever
 * its batch-mates. A dynamically quantized model does not (its activations' int8 scale spans the whole batch), so
 * it runs one row at a time.
 */
public final class OnnxWordEncoder implements WordContextEncoder, AutoCloseable {
    /** Pieces per window, [CLS] and [SEP] excluded. */
    static final int WINDOW_PIECES = 254;
    static final String LAST_HIDDEN_STATE = "last_hidden_state";
    /** Rows per run for an fp32 model. */
    static final int BATCH_ROWS = 8;
    private static final int MAX_CACHED_WORDS = 200_000;

    private final String name;
    private final String sha256;
    private final int dimension;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final long cls;
    private final long sep;
    private final long unknown;
    private final Map<String, long[]> piecesByWord = new ConcurrentHashMap<>();
    private final List<String> layers;
    private final int rowsPerRun;

    OnnxWordEncoder(String name, byte[] model, InputStream tokenizerJson, int dimension) throws IOException {
        this(name, model, tokenizerJson, dimension, List.of(), BATCH_ROWS);
    }

    /**
     * @param layers     the graph's tensors whose mean is each piece's vector (inner layers of the encoder), or empty
     *                   for its {@code last_hidden_state}
     * @param rowsPerRun windows per model run: {@link #BATCH_ROWS}, or 1 for a model whose rows are not independent
     *                   of each other (dynamic quantization)
     */
    OnnxWordEncoder(String name, byte[] model, InputStream tokenizerJson, int dimension, List<String> layers,
                    int rowsPerRun) throws IOException {
        if (rowsPerRun < 1) {
            throw new IllegalArgumentException("rows per run must be positive, got " + rowsPerRun);
        }
        this.name = name;
        this.rowsPerRun = rowsPerRun;
        this.sha256 = Sha256.hex(model);
        this.dimension = dimension;
        this.layers = List.copyOf(layers);
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        this.cls = singleId("[CLS]");
        this.sep = singleId("[SEP]");
        this.unknown = singleId("[UNK]");
        CommandLineGuard.check();
        OnnxRuntimeNatives.prepare();
        try {
            environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // One thread per caller: the loop runs inference on its stream threads, and spinning intra-op threads
            // measured slower on two cores than one thread.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = environment.createSession(
                    layers.isEmpty() ? model : OnnxGraphOutputs.withOutputs(model,
                            layers.stream().filter(layer -> !layer.equals(LAST_HIDDEN_STATE)).toList()), options);
        } catch (OrtException e) {
            throw new IOException("could not load the ONNX model of encoder '" + name + "': " + e.getMessage(), e);
        }
    }

    private long singleId(String special) {
        long[] ids = tokenizer.encode(special, false, false).getIds();
        if (ids.length != 1) {
            throw new IllegalStateException("tokenizer of '" + name + "' has no single id for " + special);
        }
        return ids[0];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String sha256() {
        return sha256;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** The word's piece ids; [UNK] for a word the tokenizer turns into nothing. */
    long[] pieces(String word) {
        long[] cached = piecesByWord.get(word);
        if (cached != null) {
            return cached;
        }
        long[] ids = tokenizer.encode(word, false, false).getIds();
        if (ids.length == 0) {
            ids = new long[]{unknown};
        } else if (ids.length > WINDOW_PIECES) {
            ids = java.util.Arrays.copyOf(ids, WINDOW_PIECES);
        }
        if (piecesByWord.size() < MAX_CACHED_WORDS) {
            piecesByWord.put(word, ids);
        }
        return ids;
    }

    /** One model input row: a run of whole words of one sentence, at most {@link #WINDOW_PIECES} pieces. */
    private record Window(int sentence, int firstWord, List<long[]> words, int pieces) {
    }

    @Override
    public List<float[]> encode(List<? extends List<String>> sentences) {
        List<float[]> out = new ArrayList<>(sentences.size());
        List<Window> windows = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            List<String> sentence = sentences.get(s);
            out.add(new float[sentence.size() * dimension]);
            List<long[]> current = new ArrayList<>();
            int first = 0;
            int pieces = 0;
            for (int w = 0; w < sentence.size(); w++) {
                long[] ids = pieces(sentence.get(w));
                if (pieces + ids.length > WINDOW_PIECES && !current.isEmpty()) {
                    windows.add(new Window(s, first, current, pieces));
                    current = new ArrayList<>();
                    first = w;
                    pieces = 0;
                }
                current.add(ids);
                pieces += ids.length;
            }
            if (!current.isEmpty()) {
                windows.add(new Window(s, first, current, pieces));
            }
        }
        windows.sort(Comparator.comparingInt(Window::pieces));
        for (int from = 0; from < windows.size(); from += rowsPerRun) {
            run(windows.subList(from, Math.min(windows.size(), from + rowsPerRun)), out);
        }
        return out;
    }

    /** The last hidden state of each of {@code pieces} read between [CLS] and [SEP] (for tests of the pooling). */
    float[][] hiddenStates(long[] pieces) {
        long[] ids = new long[pieces.length + 2];
        ids[0] = cls;
        System.arraycopy(pieces, 0, ids, 1, pieces.length);
        ids[ids.length - 1] = sep;
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        FloatBuffer hidden = hiddenState(ids, mask, 1);
        float[][] states = new float[pieces.length][dimension];
        for (int p = 0; p < pieces.length; p++) {
            hidden.position((p + 1) * dimension);
            hidden.get(states[p]);
        }
        return states;
    }

    /**
     * The model's last_hidden_state, or the mean of the configured layers, [rows, length, dimension] flattened, for
     * the given ids and mask.
     */
    private FloatBuffer hiddenState(long[] ids, long[] mask, int rows) {
        long[] shape = {rows, ids.length / rows};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor attention = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", attention,
                     "token_type_ids", types))) {
            // Copies: the result's buffers are freed when the result closes.
            if (layers.isEmpty()) {
                return ((OnnxTensor) result.get(0)).getFloatBuffer();
            }
            float[] mean = new float[ids.length * dimension];
            for (String layer : layers) {
                FloatBuffer values = ((OnnxTensor) result.get(layer).orElseThrow()).getFloatBuffer();
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += values.get(i);
                }
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] /= layers.size();
            }
            return FloatBuffer.wrap(mean);
        } catch (OrtException e) {
            throw new IllegalStateException("encoder '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private void run(List<Window> batch, List<float[]> out) {
        int length = batch.get(batch.size() - 1).pieces() + 2;
        int rows = batch.size();
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            int at = r * length;
            ids[at] = cls;
            mask[at++] = 1;
            for (long[] word : batch.get(r).words()) {
                for (long id : word) {
                    ids[at] = id;
                    mask[at++] = 1;
                }
            }
            ids[at] = sep;
            mask[at] = 1;
        }
        FloatBuffer hidden = hiddenState(ids, mask, rows);
        for (int r = 0; r < rows; r++) {
            Window window = batch.get(r);
            float[] vectors = out.get(window.sentence());
            int piece = r * length + 1;
            for (int w = 0; w < window.words().size(); w++) {
                int count = window.words().get(w).length;
                int target = (window.firstWord() + w) * dimension;
                for (int p = 0; p < count; p++, piece++) {
                    int source = piece * dimension;
                    for (int d = 0; d < dimension; d++) {
                        vectors[target + d] += hidden.get(source + d);
                    }
                }
                for (int d = 0; d < dimension; d++) {
                    vectors[target + d] /= count;
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }

    static byte[] resource(String path) {
        try (InputStream in = OnnxWordEncoder.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("'" + path + "' is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
