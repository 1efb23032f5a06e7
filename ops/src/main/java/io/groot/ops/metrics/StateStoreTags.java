package io.groot.ops.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives every Kafka Streams state store meter the same tag key for the store, {@code state.id}. Kafka Streams names
 * it after the store's type ({@code rocksdb.state.id}, {@code in.memory.state.id}, ...), and Prometheus refuses a
 * second set of tag keys under one meter name: without this, the first store type registered hid the other types'
 * meters, with one warning in the log. The number of tags stays the same: Micrometer's Kafka binder skips a metric
 * when a meter of the same name already has more tags.
 */
final class StateStoreTags implements MeterFilter {
    private static final String STORE_METER_PREFIX = "kafka.stream.state.";
    private static final String ID_SUFFIX = ".state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(STORE_METER_PREFIX)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            if (tag.getKey().endsWith(ID_SUFFIX)) {
                tags.add(Tag.of("state.id", tag.getValue()));
                renamed = true;
            } else {
                tags.add(tag);
            }
        }
        return renamed ? id.replaceTags(tags) : id;
    }
}
