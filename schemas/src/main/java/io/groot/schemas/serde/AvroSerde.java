package io.groot.schemas.serde;

import io.groot.schemas.registry.SchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro specific records in the Confluent wire format: magic byte 0, the writer schema's registry id as a
 * 4-byte big-endian int, then Avro binary. Readable by Confluent's AvroConverter, ksqlDB and other tools.
 * The writer schema is registered under {@code <topic>-value} on first use (or -key for key serdes).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    public static final byte MAGIC_BYTE = 0;
    /** Size of the wire-format header (magic byte and schema id) in front of the Avro body. */
    public static final int HEADER_BYTES = 5;

    private final SchemaRegistry registry;
    private final Schema readerSchema;
    private final boolean forKey;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> sameSchemaById = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    public AvroSerde(SchemaRegistry registry, Class<T> type) {
        this(registry, type, false);
    }

    public AvroSerde(SchemaRegistry registry, Class<T> type, boolean forKey) {
        this.registry = registry;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.forKey = forKey;
        this.writer = new SpecificDatumWriter<>(readerSchema, withGeneratedCoders(readerSchema));
    }

    /**
     * A model that writes with the encoders Avro generates for records without logical types (the candidates and
     * contrast members that are most of our bytes) instead of walking the schema: off by default in Avro
     * ({@code org.apache.avro.specific.use_custom_coders}). It takes the generated model's logical-type
     * conversions, which nullable timestamps need (unions are resolved through the model). Reading is left to
     * Avro's fast reader, which does not use the generated decoders.
     */
    private static SpecificData withGeneratedCoders(Schema schema) {
        SpecificData generated = SpecificData.getForSchema(schema);
        SpecificData data = new SpecificData(generated.getClassLoader());
        generated.getConversions().forEach(data::addLogicalTypeConversion);
        data.setCustomCoders(true);
        return data;
    }

    /** The schema this serde writes and reads into. */
    public Schema schema() {
        return readerSchema;
    }

    /** The registry id this serde writes under for {@code topic}, registering the schema on first use. */
    public int schemaId(String topic) {
        return idsByTopic.computeIfAbsent(topic, t -> registry.register(subject(t), readerSchema));
    }

    /**
     * The writer schema id of {@code bytes}, after checking they are in the wire format.
     *
     * @throws SerializationException if they are not (no value, too short, or another magic byte)
     */
    public static int checkedWriterId(String topic, byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
            throw new SerializationException("not in the schema-registry wire format (expected magic byte 0 and a "
                    + "4-byte schema id, got " + (bytes == null ? "no value"
                    : bytes.length + " bytes starting " + (bytes.length > 0 ? bytes[0] : "-")) + ") on topic " + topic);
        }
        return writerId(bytes);
    }

    /** The writer schema id of bytes in the wire format; they must have been checked or written by a serde. */
    public static int writerId(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** True if bytes written under {@code writerId} hold exactly this serde's schema, so their body can be reused. */
    public boolean writesAs(int writerId) {
        return sameSchemaById.computeIfAbsent(writerId, id -> registry.schemaById(id).equals(readerSchema));
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = schemaId(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + readerSchema.getFullName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Writes the record's Avro body alone (no wire-format header), for encoders that embed it. */
    public void writeBody(T record, BinaryEncoder encoder) throws IOException {
        writer.write(record, encoder);
    }

    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int writerId = checkedWriterId(topic, bytes);
        SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(writerId, id -> readerOf(id, topic));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES,
                    bytes.length - HEADER_BYTES, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException((bytes.length - HEADER_BYTES) + " bytes hold more than one record");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("malformed " + readerSchema.getName() + " (writer schema id " + writerId
                    + ") on topic " + topic + ": " + e, e);
        }
    }

    /** A reader from the writer schema {@code id}, which must be a version of this serde's record. */
    private SpecificDatumReader<T> readerOf(int id, String topic) {
        Schema writerSchema = registry.schemaById(id);
        boolean sameRecord = writerSchema.getType() == Schema.Type.RECORD
                && (writerSchema.getFullName().equals(readerSchema.getFullName())
                || readerSchema.getAliases().contains(writerSchema.getFullName()));
        if (!sameRecord) {
            throw new WrongSchemaException("schema id " + id + " is " + writerSchema.getFullName() + ", not "
                    + readerSchema.getFullName() + " as topic " + topic + " holds");
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema);
    }

    private String subject(String topic) {
        return topic + (forKey ? "-key" : "-value");
    }
}
