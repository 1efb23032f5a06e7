package io.groot.ops.report;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.demo.ContinuousLearningDemo;
import io.groot.ops.demo.DemoOptions;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.reward.RewardFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a real loop run, rendered by headless Chromium (Debian's chromium package; .ci/run installs it):
 * its script ran and every chart drew marks (in the DOM), and the charts' series colours are on the screenshot.
 */
class ReportRenderingTest {
    private static final String CHROMIUM = "/usr/bin/chromium";

    @Test
    void theReportOfARealRunRendersEveryChart(@TempDir Path work) throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)),
                "this test needs Debian's chromium: run ops/bin/install-test-deps, or apt-get install chromium");
        Path page = work.resolve("report.html");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0)) {
            DemoOptions d = DemoOptions.defaults();
            DemoOptions options = new DemoOptions(null, broker.bootstrapServers(), Map.of(), work.resolve("demo"),
                    "rep.", "slots", 240, 100, 300, 3, 400, 100, 2, 2, 4, "f0.5", d.objective(),
                    Duration.ofMillis(1000), 0.05, d.seed());
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
            assertEquals(true, new ContinuousLearningDemo(options, registry, System.err).run().get("completed"));
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            Map<String, Object> data = LoopReport.collect(client, Topics.withPrefix("rep."), new GrootSerdes(registry),
                    "slots", new LocalArtifactStore(work.resolve("demo").resolve("artifacts")), 4,
                    RewardFunction.parse("f0.5"), 200);
            Files.writeString(page, LoopReport.html(data));
        }

        String dom = chromium(work, "--dump-dom", page.toUri().toString());
        assertTrue(dom.contains("data-ready=\"true\""), "the report's script ran to the end");
        assertTrue(Pattern.compile("id=\"rank-difference\">v\\d+ - v\\d+ f0\\.5@1 on \\d+ recent sentences: "
                + "[+-]\\d\\.\\d{4} \\[[+-]\\d\\.\\d{4}, [+-]\\d\\.\\d{4}\\]").matcher(dom).find(),
                "serving vs previous version, with its interval, under the ranks chart");
        assertChartsDrew(dom, 2, "versions", "loss", "ranks", "throughput", "latency");

        Path png = work.resolve("report.png");
        chromium(work, "--screenshot=" + png, "--window-size=1000,2100", page.toUri().toString());
        BufferedImage shot = ImageIO.read(png.toFile());
        assertTrue(count(shot, 0x1f77b4) > 500, "first series colour on screen");
        assertTrue(count(shot, 0xd62728) > 500, "second series colour on screen");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLoopBenchmarkPageRendersEveryChart(@TempDir Path work) throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)),
                "this test needs Debian's chromium: run ops/bin/install-test-deps, or apt-get install chromium");
        // The JSON of a real run, 2026-12-07: groot bench --stages loop --data ../shared/data/atis
        // --rates 100,160,200,250,300 --max-sets-per-version 1024 (5 steps after the warm-up).
        Map<String, Object> benchmark = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                ReportRenderingTest.class.getResourceAsStream("bench-loop-sample.json"), Map.class);
        Path page = work.resolve("bench-loop.html");
        Files.writeString(page, LoopReport.benchLoopHtml(benchmark));
        String dom = chromium(work, "--dump-dom", page.toUri().toString());
        assertTrue(dom.contains("data-ready=\"true\""), "the page's script ran to the end");
        assertTrue(dom.contains("sustained 300 texts/s"), "the summary names the sustained rate");
        assertTrue(dom.contains("trainer budget --max-sets-per-version 1024"), "and the trainer's budget");
        assertChartsDrew(dom, 5, "freshness", "trained", "latency", "cpu", "cores");
    }

    /** Each chart of the rendered DOM drew at least {@code marks} marks. */
    private static void assertChartsDrew(String dom, int marks, String... charts) {
        for (String chart : charts) {
            Matcher drawn = Pattern.compile("id=\"" + chart + "\"[^>]*data-drawn=\"(\\d+)\"").matcher(dom);
            assertTrue(drawn.find(), chart + " has no data-drawn mark count");
            assertTrue(Integer.parseInt(drawn.group(1)) >= marks, chart + " drew " + drawn.group(1) + " marks");
        }
    }

    private static String chromium(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + work.resolve("chromium-profile"), "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path out = work.resolve("chromium.out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(work.resolve("chromium.err").toFile()).start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Pixels within a small distance of {@code rgb}. */
    private static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (p & 0xff) - (rgb & 0xff);
                if (dr * dr + dg * dg + db * db < 300) {
                    n++;
                }
            }
        }
        return n;
    }
}
