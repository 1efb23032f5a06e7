package io.groot.ops.streams;

import io.groot.schemas.CandidateReward;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.RewardEvent;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.join.FeedbackPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A random but reproducible stream of texts and feedback as production sends it: feedback delayed, reordered,
 * redelivered, dropped, too late, or for requests that never existed. Knows what must become of each record.
 *
 * <p>Timestamps stay within {@code span} of {@code base}, well inside the grace of the loop under test, so the
 * expected fates do not depend on how the broker interleaves partitions; the loop is then ticked far ahead.
 */
final class FeedbackScenario {
    /** One record to send, in arrival order. */
    record Send(boolean isText, String key, byte[] value, long timestamp) {
    }

    final List<Send> sends = new ArrayList<>();
    long base;
    final FeedbackPolicy policy;
    /** Feedback events that must train: one per joined request, or for two opinions the one the policy picks. */
    final Set<String> joinedEventIds = new HashSet<>();
    /** Requests that got a second, later opinion (another event id): first-wins trains either, never both. */
    final Map<String, List<String>> opinions = new HashMap<>();
    int texts;
    int rewardRecords;
    int duplicates;
    int expiredRequests;
    int unknownRequests;
    int expiredCandidates;

    /**
     * @param window the loop's join window (ms); in-window feedback comes within 0.8 of it, late feedback 1-3 s
     *               after it
     */
    static FeedbackScenario random(long seed, int requests, long base, long window, StreamsLoop loop) {
        return random(seed, requests, base, window, loop, FeedbackPolicy.FIRST_WINS, 0);
    }

    /**
     * @param secondOpinions share of the requests whose feedback comes in time that get a second feedback event
     *                       (another event id, a later event time, still in the window), which the loop under test
     *                       treats by {@code policy}
     */
    static FeedbackScenario random(long seed, int requests, long base, long window, StreamsLoop loop,
                                   FeedbackPolicy policy, double secondOpinions) {
        Random random = new Random(seed);
        FeedbackScenario s = new FeedbackScenario(policy);
        s.base = base;
        List<Send> unordered = new ArrayList<>();
        List<Long> arrival = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String id = "req-" + seed + "-" + i;
            List<String> tokens = new ArrayList<>();
            List<String> reference = new ArrayList<>();
            for (int t = 1 + random.nextInt(6); t > 0; t--) {
                tokens.add(StreamsLoop.TOKENS.get(random.nextInt(StreamsLoop.TOKENS.size())));
                reference.add(StreamsLoop.LABELS.get(random.nextInt(StreamsLoop.LABELS.size())));
            }
            long textTime = base + i * 50L + random.nextInt(50);
            s.texts++;
            add(unordered, arrival, new Send(true, id, loop.text(id, tokens, textTime), textTime), random);
            double fate = random.nextDouble();
            if (fate < 0.1) {
                s.expiredCandidates++; // feedback never comes
                continue;
            }
            boolean late = fate < 0.2;
            boolean scalar = fate > 0.9;
            long rewardTime = late ? textTime + window + 1000 + random.nextInt(2000)
                    : textTime + (long) (random.nextDouble() * 0.8 * window);
            RewardEvent.Builder event = RewardEvent.newBuilder().setRequestId(id).setEventId("ev-" + id)
                    .setSource("scenario").setEventTime(Instant.ofEpochMilli(rewardTime));
            if (scalar) {
                event.setScalarRewards(List.of(new CandidateReward(1, random.nextDouble()),
                        new CandidateReward(2, random.nextDouble())));
            } else {
                event.setReferenceLabels(reference);
            }
            if (late) {
                s.expiredRequests++;
                s.expiredCandidates++;
            } else {
                s.joinedEventIds.add("ev-" + id);
            }
            s.addCopies(unordered, arrival, id, loop.reward(event.build()), rewardTime, random);
            if (!late && secondOpinions > 0 && random.nextDouble() < secondOpinions) {
                long secondTime = rewardTime + 1 + random.nextInt((int) (0.1 * window));
                RewardEvent second = RewardEvent.newBuilder(event.build()).setEventId("ev2-" + id)
                        .setEventTime(Instant.ofEpochMilli(secondTime)).build();
                s.opinions.put(id, List.of("ev-" + id, "ev2-" + id));
                s.duplicates++; // one of the two opinions
                s.joinedEventIds.remove("ev-" + id);
                s.addCopies(unordered, arrival, id, loop.reward(second), secondTime, random);
            }
        }
        for (int j = 0; j < 1 + random.nextInt(5); j++) {
            String ghost = "ghost-" + seed + "-" + j;
            long time = base + random.nextInt(requests * 50);
            RewardEvent event = RewardEvent.newBuilder().setRequestId(ghost).setEventId("ev-" + ghost)
                    .setSource("scenario").setEventTime(Instant.ofEpochMilli(time))
                    .setReferenceLabels(List.of("O")).build();
            s.unknownRequests++;
            s.addCopies(unordered, arrival, ghost, loop.reward(event), time, random);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < unordered.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(arrival::get));
        order.forEach(i -> s.sends.add(unordered.get(i)));
        return s;
    }

    private FeedbackScenario(FeedbackPolicy policy) {
        this.policy = policy;
    }

    /** Feedback is delivered once (70%), twice (25%) or three times (5%); redeliveries come later still. */
    private void addCopies(List<Send> unordered, List<Long> arrival, String key, byte[] value, long time,
                           Random random) {
        double p = random.nextDouble();
        int copies = p < 0.7 ? 1 : p < 0.95 ? 2 : 3;
        rewardRecords += copies;
        duplicates += copies - 1;
        for (int c = 0; c < copies; c++) {
            add(unordered, arrival, new Send(false, key, value, time), random);
        }
    }

    /** Arrival = event time + a random delay up to 3 s: feedback may overtake its text and other feedback. */
    private static void add(List<Send> unordered, List<Long> arrival, Send send, Random random) {
        unordered.add(send);
        arrival.add(send.timestamp() + random.nextInt(3000));
    }

    void sendAll(StreamsLoop loop) {
        sendRange(loop, 0, sends.size());
    }

    void sendRange(StreamsLoop loop, int from, int to) {
        for (Send send : sends.subList(from, to)) {
            loop.send(send.isText() ? loop.topics.texts() : loop.topics.rewards(), send.key(), send.value(),
                    send.timestamp());
        }
        loop.flush();
    }

    /**
     * Waits until the loop has read everything, ticks it past every window, and checks its books and its output
     * against what this scenario says must have happened: exact counts, and every joined feedback event in the
     * training batches exactly once.
     */
    void assertAccountedFor(StreamsLoop loop) throws InterruptedException {
        loop.awaitAccount("every record read", a -> a.get(Accounting.REWARDS_RECEIVED) == rewardRecords
                && a.get(Accounting.CANDIDATES_RECEIVED) == texts, Duration.ofSeconds(120));
        int ticks = loop.tick(base + Duration.ofHours(1).toMillis());
        LoopAccount books = loop.awaitAccount("every record's fate", a -> a.rewardsPending() == 0
                && a.get(Accounting.CANDIDATES_RECEIVED) == texts + ticks && a.candidatesAwaiting() == ticks
                && a.get(Accounting.CONTRAST_SETS_BATCHED) == a.get(Accounting.CONTRAST_SETS),
                Duration.ofSeconds(120));

        assertEquals(texts + ticks, books.get(Accounting.TEXTS_RECEIVED));
        assertEquals(0, books.textsAwaitingInference());
        assertEquals(rewardRecords, books.get(Accounting.REWARDS_RECEIVED));
        assertEquals(duplicates, books.get(Accounting.REWARDS_DUPLICATE), "redeliveries dropped");
        int joinedRequests = joinedEventIds.size() + opinions.size();
        assertEquals(joinedRequests, books.get(Accounting.REWARDS_JOINED));
        assertEquals(expiredRequests, books.get("rewards.dead-lettered.expired-request"));
        assertEquals(unknownRequests, books.get("rewards.dead-lettered.unknown-request"));
        assertEquals(expiredRequests + unknownRequests, books.get(Accounting.REWARDS_DEAD_LETTERED));
        assertEquals(expiredCandidates, books.get(Accounting.CANDIDATES_EXPIRED));
        assertEquals(joinedRequests, books.get(Accounting.CANDIDATES_JOINED));

        List<String> trained = new ArrayList<>(loop.trainingBatches().stream()
                .flatMap(b -> b.getContrastSets().stream()).map(ContrastSet::getRewardEventId).sorted().toList());
        opinions.forEach((request, events) -> {
            List<String> picked = trained.stream().filter(events::contains).toList();
            assertEquals(1, picked.size(), request + ": one of its two opinions trains, once: " + picked);
            if (policy == FeedbackPolicy.LAST_WINS) {
                assertEquals(events.get(1), picked.get(0), request + ": the later opinion wins");
            }
            trained.removeAll(picked);
        });
        assertEquals(joinedEventIds.stream().sorted().toList(), trained,
                "each joined feedback event in the training batches exactly once");
        Map<String, Long> letters = loop.deadLetters().stream()
                .collect(Collectors.groupingBy(DeadLetter::getReason, Collectors.counting()));
        assertEquals(Map.of("expired-request", (long) expiredRequests, "unknown-request", (long) unknownRequests)
                .entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), letters);
    }
}
