package io.groot.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.ops.demo.SampleCorpus;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop benchmark end to end at a low rate, every component a process: each text gets candidates, the lag ends
 * bounded, and the CPU is split by stage from the processes' threads (which the test can only fail if the thread
 * names stop matching).
 */
class LoopBenchmarkTest {

    @Test
    void theWholeLoopAsProcessesKeepsUpWithALowRateAndItsCpuIsSplitByStage(@TempDir Path work) throws Exception {
        LabelledCorpus corpus = SampleCorpus.generate(600, 50, 7);
        Path data = writeSlotLayout(work.resolve("data"), corpus);
        Map<String, Object> result = new LoopBenchmark(new LoopBenchmark.Options(work.resolve("bench"), corpus, data,
                "none", 1, 2, List.of(10), Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(1),
                200, 1, List.of()), System.err).run();
        JsonNode json = new ObjectMapper().valueToTree(result);
        JsonNode step = json.path("steps").get(1);
        assertEquals("step0", step.path("step").asText(), json.toString());
        assertEquals(150, step.path("textsSent").asInt());
        assertEquals(150, step.path("candidatesSeen").asInt(), "every text got its candidates: " + step);
        assertTrue(step.path("lagBounded").asBoolean(), step.toString());
        JsonNode cpu = step.path("cpuSecondsPer1000Texts");
        for (String stage : new String[]{"inference", "join and batching", "correction", "kafka clients",
                "kafka broker and registry", "jvm (gc, jit)"}) {
            assertTrue(cpu.path(stage).asDouble() > 0, stage + " measured no CPU: " + cpu);
        }
        assertTrue(step.path("cpuSecondsByProcess").path("streams-0").asDouble() > 0, step.toString());
    }

    @Test
    void threadsAreGroupedByTheNamesTheJvmGivesThem() {
        assertEquals(LoopBenchmark.STREAM_THREADS, LoopBenchmark.threadGroup("streams-0", "s0-StreamThread"));
        assertEquals(LoopBenchmark.INFERENCE, LoopBenchmark.threadGroup("streams-0", "groot-inferenc"));
        assertEquals(LoopBenchmark.KAFKA, LoopBenchmark.threadGroup("streams-1", "kafka-producer-"));
        assertEquals(LoopBenchmark.JVM, LoopBenchmark.threadGroup("trainer", "C2 CompilerThre"));
        assertEquals(LoopBenchmark.TRAINING, LoopBenchmark.threadGroup("trainer", "groot-trainer"));
        assertEquals(LoopBenchmark.BROKER, LoopBenchmark.threadGroup("dev-cluster", "data-plane-kafk"));
    }

    /** The seq.in / seq.out / label layout init-model reads. */
    private static Path writeSlotLayout(Path dir, LabelledCorpus corpus) throws IOException {
        for (Map.Entry<String, List<LabelledSentence>> split : Map.of("train", corpus.train(), "valid",
                corpus.valid(), "test", corpus.test()).entrySet()) {
            Path d = Files.createDirectories(dir.resolve(split.getKey()));
            Files.writeString(d.resolve("seq.in"), split.getValue().stream().map(s -> String.join(" ", s.tokens()))
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(d.resolve("seq.out"), split.getValue().stream().map(s -> String.join(" ", s.labels()))
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(d.resolve("label"), split.getValue().stream().map(s -> s.intent() == null ? "none"
                    : s.intent()).collect(Collectors.joining("\n", "", "\n")));
        }
        return dir;
    }
}
