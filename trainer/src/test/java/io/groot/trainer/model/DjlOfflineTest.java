package io.groot.trainer.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without {@code -Dai.djl.offline=true} (as JMH, an IDE or an embedding application may start one)
 * still starts DJL offline once it makes a labeler: DJL looks up hosts beyond loopback at engine start otherwise.
 */
class DjlOfflineTest {

    /** Run in the child JVM: makes a labeler, then prints what DJL itself reads the offline setting as. */
    public static void main(String[] args) {
        try (Labeler labeler = Labeler.create(new LabelerConfig(4, 4, 8, 4, 4, 4, 4, 0f),
                Vocabulary.build(List.of(List.of("a")), List.of("O")), 1)) {
            System.out.println("offline=" + ai.djl.util.Utils.isOfflineMode() + " engine="
                    + labeler.model().getNDManager().getEngine().getEngineName());
        }
    }

    @Test
    void aJvmStartedWithoutTheSettingStartsDjlOffline() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djna.tmpdir=" + System.getProperty("java.io.tmpdir"), DjlOfflineTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("offline=true engine=PyTorch"), output);
    }
}
