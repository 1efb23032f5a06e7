package io.groot.trainer.model;

import ai.djl.ndarray.NDManager;
import io.groot.schemas.ContrastSet;
import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainedWordsTest {
    private static final LabelerConfig SMALL = new LabelerConfig(16, 8, 64, 16, 8, 16, 32, 0f);
    private static final List<String> LABELS = List.of("B-city", "I-city", "O");
    /** Labelled text, then text the vocabulary lists but no training step has seen ("paris"). */
    private static final List<List<String>> CORPUS = List.of(List.of("fly", "to", "boston"), List.of("fly", "to", "paris"));

    private static List<ContrastSet> labelled() {
        return List.of(GrootTraining.referenceOnly("s0", CORPUS.get(0), List.of("O", "O", "B-city")));
    }

    /** The log-probability of one labelling of "fly to W": the same inputs give the same number. */
    private static double score(Labeler labeler, String word) {
        return labeler.sequenceLogProbs(List.of(List.of("fly", "to", word)), List.of(List.of("O", "O", "B-city")))[0];
    }

    @Test
    void aListedWordReadsAsUnknownUntilTrainedOn() {
        try (Labeler labeler = Labeler.create(SMALL, Vocabulary.build(CORPUS, LABELS), 3);
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.01f)) {
            training.trainEpochs(labelled(), 3, 1, new Random(1));
            int paris = labeler.vocabulary().tokenId("paris");
            assertNotEquals(Vocabulary.UNKNOWN_ID, paris, "the vocabulary lists it");
            assertFalse(labeler.trainedWords().contains(paris));
            assertTrue(labeler.trainedWords().contains(labeler.vocabulary().tokenId("boston")));
            assertEquals(List.of((long) labeler.vocabulary().tokenId("fly"), (long) labeler.vocabulary().tokenId("to"),
                    (long) Vocabulary.UNKNOWN_ID), wordIds(labeler, CORPUS.get(1)), "untrained reads as unknown");
        }
    }

    @Test
    void aTrainingStepMarksItsWordsAndTheArtifactKeepsThem() throws Exception {
        try (Labeler labeler = Labeler.create(SMALL, Vocabulary.build(CORPUS, LABELS), 3);
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(), 0.01f)) {
            training.trainEpochs(labelled(), 1, 1, new Random(1));
            int paris = labeler.vocabulary().tokenId("paris");
            training.trainEpochs(List.of(GrootTraining.referenceOnly("s1", CORPUS.get(1),
                    List.of("O", "O", "B-city"))), 1, 1, new Random(1));
            assertTrue(labeler.trainedWords().contains(paris));
            assertEquals(paris, wordIds(labeler, CORPUS.get(1)).get(2));
            byte[] artifact = LabelerArtifact.toBytes(labeler);
            try (Labeler loaded = LabelerArtifact.fromBytes(artifact)) {
                assertTrue(loaded.trainedWords().contains(paris));
                assertEquals(labeler.trainedWords().count(), loaded.trainedWords().count());
                assertEquals(score(labeler, "paris"), score(loaded, "paris"), 1e-6);
            }
        }
    }

    @Test
    void anArtifactFromBeforeTheRecordReadsEveryListedWord() throws Exception {
        try (Labeler labeler = Labeler.create(SMALL, Vocabulary.build(CORPUS, LABELS), 3)) {
            byte[] legacy = withoutEntry(LabelerArtifact.toBytes(labeler), "trained-words.bits");
            try (Labeler loaded = LabelerArtifact.fromBytes(legacy)) {
                assertTrue(loaded.trainedWords().contains(loaded.vocabulary().tokenId("paris")));
                assertEquals(loaded.vocabulary().tokenId("paris"), wordIds(loaded, CORPUS.get(1)).get(2));
            }
        }
    }

    /** The word-id input the encoder reads for one sentence at inference. */
    private static List<Long> wordIds(Labeler labeler, List<String> sentence) {
        try (NDManager manager = labeler.model().getNDManager().newSubManager()) {
            return Arrays.stream(labeler.features().encode(manager, List.of(sentence), sentence.size())
                    .get(0).toLongArray()).boxed().toList();
        }
    }

    private static byte[] withoutEntry(byte[] zip, String name) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean found = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream copy = new ZipOutputStream(out)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals(name)) {
                    found = true;
                    continue;
                }
                copy.putNextEntry(new ZipEntry(entry.getName()));
                copy.write(content);
                copy.closeEntry();
            }
        }
        assertTrue(found, "the artifact records " + name);
        return out.toByteArray();
    }
}
