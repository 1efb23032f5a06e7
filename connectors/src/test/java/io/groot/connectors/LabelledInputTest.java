package io.groot.connectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelledInputTest {

    @Test
    void jsonLinesGiveTextsAndMalformedLinesWithTheirLineNumbers(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("t.jsonl"), """
                {"requestId": "a", "text": "fly to boston"}

                {"requestId": "b", "tokens": ["to", "york"], "eventTime": 5}
                {"text": "no id"}
                not json
                """);
        List<FileEntry> entries = readAll(LabelledInput.open(LabelledInput.Format.JSONL, LabelledInput.Kind.TEXTS,
                file, "t-", 0));
        assertEquals(List.of("fly", "to", "boston"), entries.get(0).text().getTokens());
        assertEquals(5, entries.get(1).text().getEventTime().toEpochMilli());
        assertEquals(3, entries.get(1).line(), "blank lines count");
        assertEquals("missing \"requestId\"", entries.get(2).error());
        assertEquals(5, entries.get(3).line());
        assertTrue(entries.get(3).isMalformed());
        assertEquals(5, entries.get(3).position());
    }

    @Test
    void rewardsFromJsonLinesGetAStableEventIdWhenTheyHaveNone(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("r.jsonl"), """
                {"requestId": "a", "referenceLabels": ["O", "B-city"]}
                {"requestId": "a", "eventId": "e2", "scalarRewards": [{"rank": 1, "reward": 0.25}]}
                """);
        List<FileEntry> entries = readAll(LabelledInput.open(LabelledInput.Format.JSONL,
                LabelledInput.Kind.REWARDS, file, "r-", 0));
        assertEquals("r-1", entries.get(0).reward().getEventId());
        assertEquals(0.25, entries.get(1).reward().getScalarRewards().get(0).getReward());
    }

    @Test
    void seqLayoutResumesAfterTheLinesAlreadySent(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("seq.in"), "fly to boston\nto york\nplay jazz\n");
        Files.writeString(dir.resolve("seq.out"), "O O B-city\nO B-city\nO\n");
        List<FileEntry> rest = readAll(LabelledInput.open(LabelledInput.Format.SEQ, LabelledInput.Kind.REWARDS,
                dir, "s-", 1));
        assertEquals(2, rest.size());
        assertEquals("s-2", rest.get(0).reward().getRequestId());
        assertEquals(List.of("O", "B-city"), rest.get(0).reward().getReferenceLabels());
        assertEquals("2 tokens but 1 labels", rest.get(1).error());
        List<FileEntry> texts = readAll(LabelledInput.open(LabelledInput.Format.SEQ, LabelledInput.Kind.TEXTS,
                dir, "s-", 0));
        assertEquals("s-2", texts.get(1).text().getRequestId(), "texts and feedback of a line share its id");
    }

    @Test
    void conllSentencesEndAtBlankLinesAndResumeByLineCount(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.txt"), """
                -DOCSTART- O

                fly O
                boston B-city

                broken
                line O

                york B-city
                """);
        List<FileEntry> all = readAll(LabelledInput.open(LabelledInput.Format.CONLL, LabelledInput.Kind.REWARDS,
                file, "c-", 0));
        assertEquals(3, all.size());
        assertEquals("c-3", all.get(0).reward().getRequestId());
        assertEquals(List.of("O", "B-city"), all.get(0).reward().getReferenceLabels());
        assertTrue(all.get(1).error().startsWith("line 6"), all.get(1).error());
        assertEquals("c-9", all.get(2).reward().getRequestId(), "the last sentence needs no closing blank line");
        List<FileEntry> resumed = readAll(LabelledInput.open(LabelledInput.Format.CONLL,
                LabelledInput.Kind.REWARDS, file, "c-", all.get(0).position()));
        assertEquals(2, resumed.size());
        assertEquals(6, resumed.get(0).line());
    }

    private static List<FileEntry> readAll(LabelledInput input) throws Exception {
        List<FileEntry> out = new ArrayList<>();
        try (input) {
            FileEntry entry;
            while ((entry = input.next()) != null) {
                out.add(entry);
            }
            assertNull(input.next());
        }
        return out;
    }
}
