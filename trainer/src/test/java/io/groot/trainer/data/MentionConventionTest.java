package io.groot.trainer.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class MentionConventionTest {

    private static LabelledSentence sentence(String text, String labels) {
        return new LabelledSentence(List.of(text.split(" ")), List.of(labels.split(" ")), "");
    }

    @Test
    void aMarkerTaggedOutsideGetsTheTagOfTheNameItOpens() {
        MentionConvention.Harmonized harmonized = MentionConvention.markersTaggedLikeTheirNames(List.of(
                sentence("thanks @ flightaware and @ bob", "O O B-ORG O O B-PER")));

        assertEquals(List.of("O", "B-ORG", "B-ORG", "O", "B-PER", "B-PER"), harmonized.sentences().get(0).labels());
        assertEquals(2, harmonized.markersRetagged());
    }

    @Test
    void markersBeforeNonEntitiesAndMarkersAlreadyTaggedAreLeftAlone() {
        LabelledSentence noEntity = sentence("@ someone said @", "O O O O");
        LabelledSentence tagged = sentence("@ bbc news", "B-ORG B-ORG O");
        LabelledSentence inside = sentence("new @ york", "B-LOC O I-LOC");

        MentionConvention.Harmonized harmonized = MentionConvention.markersTaggedLikeTheirNames(
                List.of(noEntity, tagged, inside));

        assertEquals(0, harmonized.markersRetagged());
        assertSame(noEntity, harmonized.sentences().get(0));
        assertSame(tagged, harmonized.sentences().get(1));
        assertSame(inside, harmonized.sentences().get(2));
    }
}
