package io.groot.trainer;

import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelledCorpusTest {

    @Test
    void readsTheSlotFillingLayoutWithTrailingSpacesAndIntents(@TempDir Path dir) throws Exception {
        Path train = Files.createDirectories(dir.resolve("train"));
        Files.writeString(train.resolve("seq.in"), "play some jazz \nbook a table for two \n");
        Files.writeString(train.resolve("seq.out"), "O O B-genre \nO O O O B-party_size \n");
        Files.writeString(train.resolve("label"), "PlayMusic\nBookRestaurant\n");
        Path test = Files.createDirectories(dir.resolve("test"));
        Files.writeString(test.resolve("seq.in"), "play blues\n");
        Files.writeString(test.resolve("seq.out"), "O B-music_item\n");

        LabelledCorpus corpus = LabelledCorpus.read(dir);

        assertEquals(new LabelledSentence(List.of("play", "some", "jazz"), List.of("O", "O", "B-genre"),
                "PlayMusic"), corpus.train().get(0));
        assertEquals("BookRestaurant", corpus.train().get(1).intent());
        assertEquals(1, corpus.test().size());
        assertTrue(corpus.valid().isEmpty());
        assertEquals(List.of("B-genre", "B-music_item", "B-party_size", "O"), corpus.labelSet());
    }

    @Test
    void readsConllWithDocstartsBlankLinesAndExtraColumns(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("train.txt"), """
                -DOCSTART- -X- -X- O

                EU NNP B-NP B-ORG
                rejects VBZ B-VP O
                German JJ B-NP B-MISC

                Peter NNP B-NP B-PER
                Blackburn NNP I-NP I-PER
                """);
        Files.writeString(dir.resolve("dev.txt"), "Paris B-LOC\n");

        LabelledCorpus corpus = LabelledCorpus.read(dir);

        assertEquals(2, corpus.train().size());
        assertEquals(List.of("EU", "rejects", "German"), corpus.train().get(0).tokens());
        assertEquals(List.of("B-ORG", "O", "B-MISC"), corpus.train().get(0).labels());
        assertEquals(List.of("B-PER", "I-PER"), corpus.train().get(1).labels());
        assertEquals(1, corpus.valid().size(), "dev is read as valid");
    }

    @Test
    void misalignedFilesAreRefusedWithTheLine(@TempDir Path dir) throws Exception {
        Path train = Files.createDirectories(dir.resolve("train"));
        Files.writeString(train.resolve("seq.in"), "a b\nc d e\n");
        Files.writeString(train.resolve("seq.out"), "O O\nO O\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelledCorpus.read(dir));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelledCorpus.read(dir.resolve("missing")));
    }
}
