package io.groot.ops.demo;

import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.data.LabelledSentence;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays both outside parties of the demo: the application sending texts, and the annotators whose feedback (the
 * reference labelling) arrives later, after a random delay, so out of order, and sometimes twice.
 */
public final class FeedbackSimulator implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final GrootSerdes serdes;
    private final String textsTopic;
    private final String rewardsTopic;
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "groot-feedback");
        thread.setDaemon(true);
        return thread;
    });
    private final Random random;
    private final Duration maxDelay;
    private final double duplicateRate;
    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong rewards = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    public FeedbackSimulator(Properties clientConfig, GrootSerdes serdes, String textsTopic, String rewardsTopic,
                             Duration maxDelay, double duplicateRate, long seed) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.serdes = serdes;
        this.textsTopic = textsTopic;
        this.rewardsTopic = rewardsTopic;
        this.maxDelay = maxDelay;
        this.duplicateRate = duplicateRate;
        this.random = new Random(seed);
    }

    /** Sends the texts at about {@code perSecond}, each followed later by its feedback (see {@link #finish}). */
    public void play(List<LabelledSentence> sentences, String requestPrefix, double perSecond)
            throws InterruptedException {
        long nanosPerText = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        for (int i = 0; i < sentences.size(); i++) {
            LabelledSentence sentence = sentences.get(i);
            String requestId = requestPrefix + i;
            sendText(requestId, sentence);
            long delay = (long) (random.nextDouble() * maxDelay.toMillis());
            boolean twice = random.nextDouble() < duplicateRate;
            delays.schedule(() -> sendFeedback(requestId, sentence, twice), delay, TimeUnit.MILLISECONDS);
            long due = start + (i + 1) * nanosPerText;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        producer.flush();
    }

    /** Waits until every scheduled feedback event has been sent. */
    public void finish() throws InterruptedException {
        delays.shutdown();
        delays.awaitTermination(maxDelay.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        producer.flush();
    }

    private void sendText(String requestId, LabelledSentence sentence) {
        TextEvent text = TextEvent.newBuilder().setRequestId(requestId).setText(sentence.text())
                .setTokens(sentence.tokens()).setMetadata(sentence.intent().isEmpty() ? Map.of()
                        : Map.of("intent", sentence.intent()))
                .setEventTime(Instant.now()).build();
        producer.send(new ProducerRecord<>(textsTopic, requestId, serdes.texts().serialize(textsTopic, text)));
        texts.incrementAndGet();
    }

    private void sendFeedback(String requestId, LabelledSentence sentence, boolean twice) {
        RewardEvent reward = RewardEvent.newBuilder().setRequestId(requestId).setEventId("feedback-" + requestId)
                .setSource("demo-annotator").setEventTime(Instant.now()).setReferenceLabels(sentence.labels())
                .build();
        byte[] bytes = serdes.rewards().serialize(rewardsTopic, reward);
        producer.send(new ProducerRecord<>(rewardsTopic, requestId, bytes));
        rewards.incrementAndGet();
        if (twice) {
            producer.send(new ProducerRecord<>(rewardsTopic, requestId, bytes));
            duplicates.incrementAndGet();
        }
    }

    public long textsSent() {
        return texts.get();
    }

    public long rewardsSent() {
        return rewards.get();
    }

    public long duplicatesSent() {
        return duplicates.get();
    }

    @Override
    public void close() {
        delays.shutdownNow();
        producer.close();
    }
}
