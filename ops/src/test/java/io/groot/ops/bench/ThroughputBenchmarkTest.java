package io.groot.ops.bench;

import io.groot.ops.demo.SampleCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code groot bench} runnable: every stage completes on a real broker at a tiny size and yields positive,
 * finite rates on both sides. It checks no speed (that is the benchmark's job, not a test's).
 */
class ThroughputBenchmarkTest {

    @Test
    void everyStageRunsBothSidesToTheEnd(@TempDir Path work) throws Exception {
        ThroughputBenchmark bench = new ThroughputBenchmark(work, 160, 1_000, 1, 0, 1, Map.of(), io.groot.trainer.model.LabelerConfig.defaults(),
                new PrintStream(OutputStream.nullOutputStream()));

        List<ThroughputBenchmark.Ratio> ratios = bench.run(SampleCorpus.generate(400, 50, 3),
                Set.of("inference", "join", "training"));

        assertEquals(List.of("inference", "join and batching", "join CPU per record", "join changelog bytes",
                        "training"),
                ratios.stream().map(ThroughputBenchmark.Ratio::stage).toList());
        for (ThroughputBenchmark.Ratio ratio : ratios) {
            assertTrue(ratio.systemMedian() > 0 && Double.isFinite(ratio.systemMedian()), ratio.stage());
            assertTrue(ratio.baselineMedian() > 0 && Double.isFinite(ratio.baselineMedian()), ratio.stage());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> join = (Map<String, Object>) ThroughputBenchmark.toJson(ratios).get("join and batching");
        assertEquals(ratios.get(1).ratio(), (Double) join.get("ratio"), 1e-12);
    }

    @Test
    void theJoinStageRunsOverSeveralPartitionsAndThreads(@TempDir Path work) throws Exception {
        // Each stream thread counts in a metric of its own: a count read from one thread would never reach the
        // target and the run would fail ("only N of 1000").
        ThroughputBenchmark bench = new ThroughputBenchmark(work, 160, 1_000, 2, 0, 1, Map.of(), io.groot.trainer.model.LabelerConfig.defaults(),
                new PrintStream(OutputStream.nullOutputStream()));

        ThroughputBenchmark.Ratio join = bench.run(SampleCorpus.generate(400, 50, 3), Set.of("join")).get(0);

        assertTrue(join.systemMedian() > 0 && Double.isFinite(join.systemMedian()));
        assertTrue(join.baselineMedian() > 0 && Double.isFinite(join.baselineMedian()));
        assertThrows(IllegalArgumentException.class, () -> new ThroughputBenchmark(work, 160, 1_000, 0, 0, 1,
                Map.of(), io.groot.trainer.model.LabelerConfig.defaults(), new PrintStream(OutputStream.nullOutputStream())));
    }

    @Test
    void aRunDoneBeforeItsFirstReadIsTimedFromRunning() throws Exception {
        long began = System.nanoTime() - 1_000_000_000L;
        double rate = ThroughputBenchmark.steadyRate(() -> 100, 100, began);
        assertTrue(rate > 0 && rate <= 100, "100 records in a little over a second: " + rate);
    }

    @Test
    void theRatioIsTheMedianOfEachRunsOwnRatio() {
        ThroughputBenchmark.Ratio r = new ThroughputBenchmark.Ratio("stage", "records/s",
                new double[]{90, 60, 80}, new double[]{100, 40, 200});

        assertArrayEquals(new double[]{0.9, 1.5, 0.4}, r.ratios(), 1e-12);
        assertEquals(0.9, r.ratio(), 1e-12, "paired: each run against its own baseline");
        assertEquals(0.8, r.ratioOfMedians(), 1e-12, "unpaired: 80 / 100");
    }
}
