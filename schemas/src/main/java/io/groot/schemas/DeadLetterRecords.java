package io.groot.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Dead letters as every writer (streams, trainer, connectors) builds them: the original bytes untouched. */
public final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    /** @param source where the original record was read, or null if unknown */
    public static DeadLetter of(byte[] original, String reason, String error, TopicOffset source) {
        return DeadLetter.newBuilder()
                .setOriginalValue(original == null ? null : ByteBuffer.wrap(original))
                .setReason(reason).setError(error)
                .setSourceTopic(source == null ? "" : source.getTopic())
                .setSourcePartition(source == null ? -1 : source.getPartition())
                .setSourceOffset(source == null ? -1L : source.getOffset())
                .setFailedAt(Instant.now())
                .build();
    }
}
