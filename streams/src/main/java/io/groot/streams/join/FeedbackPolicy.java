package io.groot.streams.join;

import io.groot.schemas.CandidateReward;
import io.groot.schemas.RewardEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What trains when more than one feedback event (distinct event ids; a redelivered id is dropped before this) arrives
 * for the same candidates. The reward join and replay apply the same policy.
 */
public enum FeedbackPolicy {
    /** The first event to join trains, at once; later ones are counted as duplicates. The default. */
    FIRST_WINS("first-wins"),
    /**
     * Events are held until their candidates' window + grace has passed; then the one with the latest event time
     * trains and the others are counted as duplicates.
     */
    LAST_WINS("last-wins"),
    /**
     * Like last-wins, except that scalar rewards are added rank by rank over the events, which all count as
     * joined. A reference labelling cannot be added: an event that carries one is combined as last-wins.
     */
    SUM("sum");

    private final String label;

    FeedbackPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static FeedbackPolicy parse(String label) {
        for (FeedbackPolicy policy : values()) {
            if (policy.label.equals(label)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown feedback policy '" + label + "': first-wins, last-wins or sum");
    }

    /** True if feedback trains as soon as it joins; false if it waits for its candidates' window to close. */
    public boolean joinsAtOnce() {
        return this == FIRST_WINS;
    }

    /**
     * What trains of two feedback events for the same candidates.
     *
     * @param event   the held event, the incoming one, or (sum of two scalar events) a new event that carries both
     * @param events  how many feedback events {@code event} stands for
     * @param dropped how many events this combination made duplicates
     */
    public record Combined(RewardEvent event, int events, int dropped) {
    }

    /**
     * @param held       the event kept so far for these candidates
     * @param heldEvents how many events it stands for (more than one only after a sum)
     */
    public Combined combine(RewardEvent held, int heldEvents, RewardEvent incoming) {
        RewardEvent kept = combine(held, incoming);
        if (kept == held) {
            return new Combined(held, heldEvents, 1);
        }
        return kept == incoming ? new Combined(incoming, 1, heldEvents) : new Combined(kept, heldEvents + 1, 0);
    }

    private RewardEvent combine(RewardEvent held, RewardEvent incoming) {
        boolean incomingIsLater = !incoming.getEventTime().isBefore(held.getEventTime());
        return switch (this) {
            case FIRST_WINS -> incomingIsLater ? held : incoming;
            case LAST_WINS -> incomingIsLater ? incoming : held;
            case SUM -> held.getScalarRewards() != null && incoming.getScalarRewards() != null
                    ? summed(held, incoming)
                    : LAST_WINS.combine(held, incoming);
        };
    }

    /** Rewards added rank by rank; the sum may exceed 1, which the contrast loss allows (only differences count). */
    private static RewardEvent summed(RewardEvent held, RewardEvent incoming) {
        Map<Integer, Double> byRank = new TreeMap<>();
        for (RewardEvent event : List.of(held, incoming)) {
            event.getScalarRewards().forEach(r -> byRank.merge(r.getRank(), r.getReward(), Double::sum));
        }
        List<CandidateReward> rewards = new ArrayList<>(byRank.size());
        byRank.forEach((rank, reward) -> rewards.add(new CandidateReward(rank, reward)));
        RewardEvent later = incoming.getEventTime().isBefore(held.getEventTime()) ? held : incoming;
        return RewardEvent.newBuilder(later).setScalarRewards(rewards).build();
    }
}
