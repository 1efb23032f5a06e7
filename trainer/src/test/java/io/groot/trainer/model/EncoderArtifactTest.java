package io.groot.trainer.model;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.model.context.ContextEncoders;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pretrained encoder is part of the model: recorded in the artifact with its file's SHA-256, and checked. */
class EncoderArtifactTest {
    private static final LabelerConfig SMALL = new LabelerConfig(16, 8, 64, 4, 8, 8, 16, 8, 16, 32, 0f, 0.1f,
            ContextEncoders.MINILM, "");
    private static final List<List<String>> SENTENCES = List.of(
            List.of("Apple", "opens", "in", "London"), List.of("@", "nasa", "launches"));
    private static final List<String> LABELS = List.of("B-LOC", "B-ORG", "O");

    private static Labeler trained() {
        Labeler labeler = Labeler.create(SMALL, Vocabulary.build(SENTENCES, LABELS), 3);
        try (GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.01f)) {
            List<io.groot.schemas.ContrastSet> sets = new ArrayList<>();
            sets.add(GrootTraining.referenceOnly("a", SENTENCES.get(0), List.of("B-ORG", "O", "O", "B-LOC")));
            sets.add(GrootTraining.referenceOnly("b", SENTENCES.get(1), List.of("B-ORG", "B-ORG", "O")));
            training.trainEpochs(sets, 3, 2, new Random(1));
        }
        return labeler;
    }

    @Test
    void theArtifactRecordsTheEncoderAndRoundTrips() throws IOException {
        try (Labeler labeler = trained()) {
            String sha = ContextEncoders.named(ContextEncoders.MINILM).encoder().sha256();
            assertEquals(64, sha.length());
            assertEquals(sha, labeler.config().contextEncoderSha256());
            byte[] bytes = LabelerArtifact.toBytes(labeler);
            try (Labeler loaded = LabelerArtifact.fromBytes(bytes)) {
                assertEquals(labeler.config(), loaded.config());
                assertEquals(labeler.topK(SENTENCES, 2), loaded.topK(SENTENCES, 2));
            }
        }
    }

    @Test
    void anArtifactTrainedOnAnotherEncoderFileIsRefused() throws IOException {
        byte[] bytes;
        try (Labeler labeler = trained()) {
            bytes = LabelerArtifact.toBytes(labeler);
        }
        String other = "0".repeat(64);
        byte[] edited = withProperty(bytes, "contextEncoderSha256", other);
        IOException refused = assertThrows(IOException.class, () -> LabelerArtifact.fromBytes(edited).close());
        assertTrue(refused.getMessage().contains(other), refused.getMessage());
    }

    /** The artifact with one line of its labeler.properties replaced. */
    private static byte[] withProperty(byte[] artifact, String key, String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(artifact));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals("labeler.properties")) {
                    StringBuilder text = new StringBuilder();
                    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
                        text.append(line.startsWith(key + "=") ? key + "=" + value : line).append('\n');
                    }
                    content = text.toString().getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(content);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
