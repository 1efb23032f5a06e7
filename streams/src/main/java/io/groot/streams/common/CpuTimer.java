package io.groot.streams.common;

import io.groot.streams.accounting.Accounting;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.processor.api.ProcessingContext;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * Sums the thread CPU time of one step of a processor into a Kafka Streams metric (group
 * {@code stream-groot-metrics}, tags {@code thread-id}, {@code task-id}), so that a profile of the loop can tell
 * that step from the rest of the stream thread's work without a profiler attached. Costs two reads of the thread's
 * CPU clock per call; nothing when the metrics' recording level leaves it out.
 */
public final class CpuTimer {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    public static final String GROUP = Accounting.METRICS_GROUP;
    private final Sensor sensor;

    private CpuTimer(Sensor sensor) {
        this.sensor = sensor;
    }

    public static CpuTimer of(ProcessingContext context, String metric) {
        String thread = Thread.currentThread().getName();
        String task = context.taskId().toString();
        Sensor sensor = context.metrics().addSensor(metric + "-" + thread + "-" + task, Sensor.RecordingLevel.INFO);
        // A task reopened on the same thread finds its sensor and metric there already.
        sensor.add(new MetricName(metric, GROUP, "thread CPU time in ns", Map.of("thread-id", thread, "task-id", task)),
                new CumulativeSum());
        return new CpuTimer(sensor);
    }

    /** The thread's CPU clock now, or 0 when the sensor does not record. */
    public long start() {
        return sensor.shouldRecord() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    public void stop(long started) {
        if (started != 0) {
            sensor.record(THREADS.getCurrentThreadCpuTime() - started);
        }
    }
}
