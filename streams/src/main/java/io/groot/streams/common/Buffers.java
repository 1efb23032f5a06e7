package io.groot.streams.common;

import java.nio.ByteBuffer;

/** Avro {@code bytes} fields arrive as ByteBuffers; records and dead letters want arrays. */
public final class Buffers {
    private Buffers() {
    }

    /** The remaining bytes, without moving the buffer's position. */
    public static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
