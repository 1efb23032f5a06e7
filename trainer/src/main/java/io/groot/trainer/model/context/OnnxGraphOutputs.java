package io.groot.trainer.model.context;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Makes intermediate tensors of an ONNX model graph outputs, so that ONNX Runtime returns them (an encoder's inner
 * layers). Edits the serialized {@code ModelProto} directly: the graph (field 7) gets one more {@code output}
 * (field 12) per name, a float tensor of unknown shape; every other byte is kept. Protobuf merges repeated fields in
 * the order they appear, so appending them to the graph's bytes is a valid edit. No protobuf library needed.
 */
final class OnnxGraphOutputs {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_OUTPUT = 12;
    private static final int LENGTH_DELIMITED = 2;
    private static final int ONNX_FLOAT = 1;

    private OnnxGraphOutputs() {
    }

    /** {@code model} with {@code names} (tensors the graph computes) added to its outputs, in that order. */
    static byte[] withOutputs(byte[] model, List<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 256 * names.size());
        int at = 0;
        boolean found = false;
        while (at < model.length) {
            int start = at;
            long tag = varint(model, at);
            at += varintSize(tag);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            int end = skip(model, at, wire);
            if (field == MODEL_GRAPH && wire == LENGTH_DELIMITED) {
                long length = varint(model, at);
                int content = at + varintSize(length);
                ByteArrayOutputStream graph = new ByteArrayOutputStream();
                graph.write(model, content, (int) length);
                for (String name : names) {
                    writeField(graph, GRAPH_OUTPUT, floatOutput(name));
                }
                writeField(out, MODEL_GRAPH, graph.toByteArray());
                found = true;
            } else {
                out.write(model, start, end - start);
            }
            at = end;
        }
        if (!found) {
            throw new IllegalArgumentException("not an ONNX model: no graph");
        }
        return out.toByteArray();
    }

    /** ValueInfoProto { name = 1; type = 2 { tensor_type = 1 { elem_type = 1: FLOAT } } }. */
    private static byte[] floatOutput(String name) {
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        writeVarint(tensor, 1L << 3);
        writeVarint(tensor, ONNX_FLOAT);
        ByteArrayOutputStream type = new ByteArrayOutputStream();
        writeField(type, 1, tensor.toByteArray());
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        writeField(info, 1, name.getBytes(StandardCharsets.UTF_8));
        writeField(info, 2, type.toByteArray());
        return info.toByteArray();
    }

    private static int skip(byte[] bytes, int at, int wire) {
        switch (wire) {
            case 0:
                return at + varintSize(varint(bytes, at));
            case 1:
                return at + 8;
            case LENGTH_DELIMITED:
                long length = varint(bytes, at);
                return Math.toIntExact(at + varintSize(length) + length);
            case 5:
                return at + 4;
            default:
                throw new IllegalArgumentException("not an ONNX model: wire type " + wire + " at byte " + at);
        }
    }

    private static void writeField(ByteArrayOutputStream out, int field, byte[] content) {
        writeVarint(out, ((long) field << 3) | LENGTH_DELIMITED);
        writeVarint(out, content.length);
        out.write(content, 0, content.length);
    }

    private static long varint(byte[] bytes, int at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[at++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("not an ONNX model: varint too long");
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
