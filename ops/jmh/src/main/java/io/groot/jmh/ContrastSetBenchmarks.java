package io.groot.jmh;

import io.groot.schemas.Candidate;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.schemas.serde.TrainingBatchEncoder;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.reward.RewardFunction;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The reward join's per-batch work, each new way against the old on the same 32 contrast sets (BIO sentences of
 * 6 to 16 tokens, 1 to 3 slots of 20 types, 4 perturbed candidates each, corrected by {@link ContrastSetBuilder}).
 * <ul>
 *   <li>writing a training batch from contrast sets stored encoded: {@link TrainingBatchEncoder} over the bytes
 *       ({@code batchFromStoredBytes}) vs decoding them and encoding the batch ({@code batchByDecodeAndEncode},
 *       what the batcher did before);</li>
 *   <li>encoding the 32 contrast sets with {@link io.groot.schemas.serde.AvroSerde}, which writes with Avro's
 *       generated encoders ({@code encodeContrastSets}), vs Avro's default schema walk
 *       ({@code encodeContrastSetsDefaultCoders});</li>
 *   <li>scoring every member of every set with span F0.5: parsing the reference once per set
 *       ({@code scoreAgainstReference}) vs once per member ({@code scorePairwise}).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ContrastSetBenchmarks {
    private static final String STORE_TOPIC = "bench-pending-contrast-sets-changelog";
    private static final String BATCHES_TOPIC = "groot.training-batches";
    private static final String[] TYPES = {"city", "state", "country", "date", "time", "airline", "artist", "album",
        "track", "genre", "playlist", "restaurant", "cuisine", "party_size", "movie", "rating", "object", "service",
        "year", "sort"};

    private final GrootSerdes serdes = new GrootSerdes(new InMemorySchemaRegistry());
    private final TrainingBatchEncoder encoder = new TrainingBatchEncoder(serdes.trainingBatches(),
            serdes.contrastSets());
    private final RewardFunction reward = RewardFunction.parse("f0.5");
    private final SpecificDatumWriter<ContrastSet> defaultWriter = new SpecificDatumWriter<>(ContrastSet.class);
    private List<ContrastSet> sets;
    private List<byte[]> stored;

    @Setup
    public void setUp() {
        Random random = new Random(17);
        ContrastSetBuilder builder = new ContrastSetBuilder(reward, new Corrector(4));
        sets = new ArrayList<>();
        stored = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            List<String> reference = sentenceLabels(random);
            List<String> tokens = new ArrayList<>();
            for (int t = 0; t < reference.size(); t++) {
                tokens.add("w" + random.nextInt(500));
            }
            List<Candidate> candidates = new ArrayList<>();
            for (int rank = 1; rank <= 4; rank++) {
                candidates.add(new Candidate(rank, perturbed(reference, random), -rank * 0.7));
            }
            String id = "r" + i;
            CandidateSet generated = CandidateSet.newBuilder().setRequestId(id).setTokens(tokens).setModelName("m")
                    .setModelVersion(3).setCandidates(candidates).setTextEventTime(Instant.EPOCH)
                    .setGeneratedAt(Instant.EPOCH).build();
            RewardEvent feedback = RewardEvent.newBuilder().setRequestId(id).setEventId("e" + id).setSource("bench")
                    .setEventTime(Instant.EPOCH).setReferenceLabels(reference).build();
            ContrastSet set = builder.build(generated, feedback, null);
            set.setFeedbackTime(Instant.ofEpochMilli(1_700_000_000_000L + i));
            sets.add(set);
            stored.add(serdes.contrastSets().serialize(STORE_TOPIC, set));
        }
    }

    @Benchmark
    public byte[] batchFromStoredBytes() {
        return encoder.encode(BATCHES_TOPIC, "0_0-r0", Instant.EPOCH, stored);
    }

    @Benchmark
    public byte[] batchByDecodeAndEncode() {
        List<ContrastSet> decoded = new ArrayList<>(stored.size());
        for (byte[] bytes : stored) {
            decoded.add(serdes.contrastSets().deserialize(STORE_TOPIC, bytes));
        }
        return serdes.trainingBatches().serialize(BATCHES_TOPIC, new TrainingBatch("0_0-r0", Instant.EPOCH, decoded));
    }

    @Benchmark
    public void encodeContrastSets(Blackhole sink) {
        for (ContrastSet set : sets) {
            sink.consume(serdes.contrastSets().serialize(STORE_TOPIC, set));
        }
    }

    @Benchmark
    public void encodeContrastSetsDefaultCoders(Blackhole sink) throws IOException {
        for (ContrastSet set : sets) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            defaultWriter.write(set, encoder);
            encoder.flush();
            sink.consume(out.toByteArray());
        }
    }

    @Benchmark
    public void scoreAgainstReference(Blackhole sink) {
        for (ContrastSet set : sets) {
            ToDoubleFunction<List<String>> score = reward.against(set.getReferenceLabels());
            for (ContrastMember member : set.getMembers()) {
                sink.consume(score.applyAsDouble(member.getLabels()));
            }
        }
    }

    @Benchmark
    public void scorePairwise(Blackhole sink) {
        for (ContrastSet set : sets) {
            for (ContrastMember member : set.getMembers()) {
                sink.consume(reward.reward(member.getLabels(), set.getReferenceLabels()));
            }
        }
    }

    private static List<String> sentenceLabels(Random random) {
        int length = 6 + random.nextInt(11);
        List<String> labels = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            labels.add("O");
        }
        int slots = 1 + random.nextInt(3);
        for (int s = 0; s < slots; s++) {
            int start = random.nextInt(length);
            int end = Math.min(length, start + 1 + random.nextInt(3));
            String type = TYPES[random.nextInt(TYPES.length)];
            for (int t = start; t < end; t++) {
                labels.set(t, (t == start ? "B-" : "I-") + type);
            }
        }
        return labels;
    }

    /** The reference with one or two slots moved, retyped or dropped: the kinds of errors a labeler makes. */
    private static List<String> perturbed(List<String> reference, Random random) {
        List<String> labels = new ArrayList<>(reference);
        for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
            int t = random.nextInt(labels.size());
            switch (random.nextInt(3)) {
                case 0 -> labels.set(t, "O");
                case 1 -> labels.set(t, "B-" + TYPES[random.nextInt(TYPES.length)]);
                default -> labels.set(t, t > 0 && !labels.get(t - 1).equals("O")
                        ? "I-" + labels.get(t - 1).substring(2) : "O");
            }
        }
        return labels;
    }
}
