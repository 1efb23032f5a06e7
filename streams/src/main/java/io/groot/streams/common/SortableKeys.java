package io.groot.streams.common;

/** Store keys whose string order is a numeric order (offsets, deadlines), for range scans and in-order batches. */
public final class SortableKeys {
    private SortableKeys() {
    }

    /** Zero-padded to 19 digits, which any non-negative long fits; negative values count as 0. */
    public static String padded(long value) {
        String digits = Long.toString(Math.max(0, value));
        return "0".repeat(19 - digits.length()) + digits; // String.format costs more than the rest of the key
    }
}
