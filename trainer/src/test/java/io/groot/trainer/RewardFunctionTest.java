package io.groot.trainer;

import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.reward.Span;
import io.groot.trainer.reward.SpanFBeta;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardFunctionTest {
    private static final List<String> GOLD = List.of("B-city", "I-city", "O", "B-date", "O");

    @Test
    void spansFollowConllevalIncludingStrayInside() {
        assertEquals(List.of(new Span("city", 0, 2), new Span("date", 3, 4)), Span.of(GOLD));
        assertEquals(List.of(new Span("a", 0, 1), new Span("b", 1, 3)), Span.of(List.of("I-a", "I-b", "I-b")));
    }

    @Test
    void fBetaWeighsPrecisionBelowOneAndRecallAboveOne() {
        // One correct span predicted, one missed: precision 1, recall 1/2.
        List<String> partial = List.of("B-city", "I-city", "O", "O", "O");
        assertEquals(1.0, RewardFunction.parse("f1").reward(GOLD, GOLD), 1e-12);
        assertEquals(2.0 / 3.0, RewardFunction.parse("f1").reward(partial, GOLD), 1e-12);
        double f05 = RewardFunction.parse("f0.5").reward(partial, GOLD);
        double f2 = RewardFunction.parse("f2").reward(partial, GOLD);
        assertEquals(1.25 * 0.5 / (0.25 + 0.5), f05, 1e-12);
        assertTrue(f05 > 2.0 / 3.0 && f2 < 2.0 / 3.0, "precise-but-incomplete is rewarded more by f0.5");
    }

    @Test
    void wrongBoundaryIsNotAMatch() {
        List<String> shortCity = List.of("B-city", "O", "O", "B-date", "O");
        assertEquals(0.5, RewardFunction.parse("f1").reward(shortCity, GOLD), 1e-12);
        assertEquals(0.8, RewardFunction.parse("token-accuracy").reward(shortCity, GOLD), 1e-12);
        assertEquals(0.0, RewardFunction.parse("exact-match").reward(shortCity, GOLD), 1e-12);
    }

    @Test
    void noSpansAnywhereIsPerfectAndNamesAreStable() {
        List<String> none = List.of("O", "O");
        assertEquals(1.0, new SpanFBeta(0.5).reward(none, none));
        assertEquals("f0.5", RewardFunction.parse("F0.5").name());
        assertEquals("f1", RewardFunction.parse("f1").name());
        assertThrows(IllegalArgumentException.class, () -> RewardFunction.parse("bleu"));
        assertThrows(IllegalArgumentException.class, () -> new SpanFBeta(1).reward(none, GOLD));
    }

    @Test
    void scoringAgainstOneReferenceEqualsScoringPairs() {
        List<List<String>> candidates = List.of(GOLD, List.of("B-city", "I-city", "O", "O", "O"),
                List.of("O", "B-city", "O", "B-date", "I-date"), List.of("O", "O", "O", "O", "O"),
                List.of("I-city", "I-city", "B-date", "B-date", "O"));
        for (String name : List.of("f0.5", "f1", "f2", "token-accuracy", "exact-match")) {
            RewardFunction reward = RewardFunction.parse(name);
            var against = reward.against(GOLD);
            for (List<String> candidate : candidates) {
                assertEquals(reward.reward(candidate, GOLD), against.applyAsDouble(candidate), 1e-15, name);
            }
            assertThrows(IllegalArgumentException.class, () -> against.applyAsDouble(List.of("O")), name);
        }
    }
}
