package io.groot.ops.replay;

import io.groot.schemas.CandidateReward;
import io.groot.schemas.RewardEvent;
import io.groot.streams.join.FeedbackPolicy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Replay trains on what the loop trains on: the feedback policy leaves one event per request. */
class FeedbackLogTest {
    private static final List<String> TOKENS = List.of("fly", "to", "boston");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final FeedbackLog log = new FeedbackLog(List.of(
            entry(reference("a", "a1", 0, "O", "O", "B-city")),
            entry(scalar("b", "b1", 1, 0.5)),
            entry(reference("a", "a2", 2, "O", "O", "O")),
            entry(scalar("b", "b2", 3, 0.25)),
            entry(reference("c", "c1", 4, "O", "O", "O"))), 2, 1);

    @Test
    void firstWinsKeepsEachRequestsEarliestEventWhereItStood() {
        FeedbackLog kept = log.under(FeedbackPolicy.FIRST_WINS);
        assertEquals(List.of("a1", "b1", "c1"), eventIds(kept));
        assertEquals(1 + 2, kept.duplicates(), "the redelivery already dropped, and a2 and b2");
        assertEquals(2, kept.withoutText());
    }

    @Test
    void lastWinsKeepsEachRequestsLatestEvent() {
        FeedbackLog kept = log.under(FeedbackPolicy.LAST_WINS);
        assertEquals(List.of("a2", "b2", "c1"), eventIds(kept));
        assertEquals(List.of("O", "O", "O"), kept.entries().get(0).feedback().getReferenceLabels());
        assertEquals(3, kept.duplicates());
    }

    @Test
    void sumAddsScalarRewardsAndLetsTheLatestReferenceWin() {
        FeedbackLog kept = log.under(FeedbackPolicy.SUM);
        assertEquals(List.of("a2", "b2", "c1"), eventIds(kept));
        assertEquals(List.of(new CandidateReward(1, 0.75)), kept.entries().get(1).feedback().getScalarRewards());
        assertEquals(1 + 1, kept.duplicates(), "a1 only: b1 and b2 both count");
    }

    private static List<String> eventIds(FeedbackLog log) {
        return log.entries().stream().map(e -> e.feedback().getEventId()).toList();
    }

    private static FeedbackLog.Entry entry(RewardEvent event) {
        return new FeedbackLog.Entry(TOKENS, event);
    }

    private static RewardEvent reference(String request, String id, int second, String... labels) {
        return event(request, id, second).setReferenceLabels(List.of(labels)).build();
    }

    private static RewardEvent scalar(String request, String id, int second, double reward) {
        return event(request, id, second).setScalarRewards(List.of(new CandidateReward(1, reward))).build();
    }

    private static RewardEvent.Builder event(String request, String id, int second) {
        return RewardEvent.newBuilder().setRequestId(request).setEventId(id).setSource("test")
                .setEventTime(T0.plusSeconds(second));
    }
}
