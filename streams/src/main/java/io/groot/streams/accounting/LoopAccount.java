package io.groot.streams.accounting;

import java.util.Map;
import java.util.TreeMap;

/**
 * The loop's books: every text is in candidates or dead letters; every reward is joined, duplicate,
 * dead-lettered (with a reason) or still pending; every candidate set is joined, expired, dead-lettered or still
 * awaiting feedback.
 */
public record LoopAccount(Map<String, Long> counts) {

    public LoopAccount {
        counts = Map.copyOf(counts);
    }

    public long get(String counter) {
        return counts.getOrDefault(counter, 0L);
    }

    /**
     * Texts read but neither turned into candidates nor dead-lettered yet: those buffered for the model's next batch.
     * Zero once the texts are processed; one that stayed would be a lost text.
     */
    public long textsAwaitingInference() {
        return get(Accounting.TEXTS_RECEIVED) - get(Accounting.TEXTS_CANDIDATES)
                - get(Accounting.TEXTS_DEAD_LETTERED);
    }

    /** Valid, first-seen rewards whose candidates have not come (yet) and whose window has not closed. */
    public long rewardsPending() {
        return get(Accounting.REWARDS_RECEIVED) - get(Accounting.REWARDS_JOINED) - get(Accounting.REWARDS_DUPLICATE)
                - get(Accounting.REWARDS_DEAD_LETTERED);
    }

    /** Candidate sets still inside their window with no feedback joined so far. */
    public long candidatesAwaiting() {
        return get(Accounting.CANDIDATES_RECEIVED) - get(Accounting.CANDIDATES_JOINED)
                - get(Accounting.CANDIDATES_EXPIRED) - get(Accounting.CANDIDATES_DEAD_LETTERED);
    }

    /** Dead letters by reason, e.g. {@code rewards.dead-lettered.unknown-request -> 3}. */
    public Map<String, Long> deadLettersByReason() {
        Map<String, Long> byReason = new TreeMap<>();
        counts.forEach((name, count) -> {
            if (name.contains(".dead-lettered.")) {
                byReason.put(name, count);
            }
        });
        return byReason;
    }
}
