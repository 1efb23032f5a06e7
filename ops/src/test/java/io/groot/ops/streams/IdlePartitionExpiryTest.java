package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.status.LoopStatus;
import io.groot.schemas.DeadLetter;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.join.JoinBacklog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reward whose text never comes, and candidates whose reward never comes, on partitions where nothing else
 * arrives: stream time stops there, yet both must end within window + grace (the reward as a dead letter, the
 * candidates as expired), and {@code groot status} must show them waiting, with their age, until then.
 */
class IdlePartitionExpiryTest {
    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Test
    void whatWaitsOnAnIdlePartitionEndsWithinWindowPlusGraceAndStatusShowsItsAge(@TempDir Path work)
            throws Exception {
        LoopConfig config = new LoopConfig(StreamsLoop.MODEL, 3, 16, WINDOW, GRACE, "f1", 2, 16,
                Duration.ofMillis(500));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work.resolve("loop"), "idle", 3, config,
                     new InMemorySchemaRegistry())) {
            loop.startInstance("i0");
            long sent = System.currentTimeMillis();
            loop.send(loop.topics.rewards(), "ghost", loop.reward(RewardEvent.newBuilder().setRequestId("ghost")
                    .setEventId("e-ghost").setSource("test").setEventTime(Instant.ofEpochMilli(sent))
                    .setReferenceLabels(List.of("O", "O", "B-city")).build()), sent);
            loop.send(loop.topics.texts(), "lonely", loop.text("lonely", List.of("fly", "to", "boston"), sent),
                    sent);
            loop.flush();
            loop.awaitAccount("both waiting", a -> a.rewardsPending() == 1 && a.candidatesAwaiting() == 1,
                    Duration.ofSeconds(15));

            LoopStatus status = LoopStatus.read(loop.client(), loop.applicationId(), "no-trainer", loop.topics,
                    StreamsLoop.MODEL, null, Duration.ofSeconds(30));
            JoinBacklog backlog = status.backlog();
            assertEquals(1, backlog.rewardsWaiting(), backlog.toString());
            assertEquals(1, backlog.candidatesWaiting(), backlog.toString());
            Duration age = backlog.oldestRewardAge(status.readAt()).orElseThrow();
            assertTrue(!age.isNegative() && age.compareTo(WINDOW) < 0, "age " + age);
            assertTrue(status.render().contains("waiting for candidates 1, the oldest for 0 min"), status.render());
            assertEquals(1L, status.toJson().get("rewardsWaitingForCandidates"));

            LoopAccount books = loop.awaitAccount("the reward dead-lettered, the candidates expired",
                    a -> a.rewardsPending() == 0 && a.candidatesAwaiting() == 0, WINDOW.plus(GRACE).multipliedBy(3));
            long took = System.currentTimeMillis() - sent;
            assertEquals(1, books.get("rewards.dead-lettered.unknown-request"), books.counts().toString());
            assertEquals(1, books.get(Accounting.CANDIDATES_EXPIRED), books.counts().toString());
            assertTrue(took >= WINDOW.toMillis(), "not before the window closed: " + took + " ms");
            List<DeadLetter> letters = loop.deadLetters();
            assertEquals(List.of("unknown-request"), letters.stream().map(DeadLetter::getReason).toList());
            JoinBacklog after = JoinBacklog.read(loop.client(), loop.applicationId(), Duration.ofSeconds(30));
            assertEquals(new JoinBacklog(0, Optional.empty(), 0, Optional.empty()), after);
        }
    }
}
