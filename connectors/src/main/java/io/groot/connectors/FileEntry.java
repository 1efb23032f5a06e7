package io.groot.connectors;

import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;

/**
 * One record read from a file: a text or a feedback event, or the raw lines and why they could not be read.
 *
 * @param line     first line of the record (1-based), for dead letters
 * @param position lines consumed once this record is done: where a restarted task resumes
 */
record FileEntry(long line, long position, String raw, TextEvent text, RewardEvent reward, String error) {

    static FileEntry text(long line, long position, String raw, TextEvent text) {
        return new FileEntry(line, position, raw, text, null, null);
    }

    static FileEntry reward(long line, long position, String raw, RewardEvent reward) {
        return new FileEntry(line, position, raw, null, reward, null);
    }

    static FileEntry malformed(long line, long position, String raw, String error) {
        return new FileEntry(line, position, raw, null, null, error);
    }

    boolean isMalformed() {
        return error != null;
    }
}
