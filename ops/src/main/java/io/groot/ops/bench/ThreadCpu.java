package io.groot.ops.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU seconds a process has used, by group of its threads, from Linux's {@code /proc/<pid>/task/<tid>/stat}
 * (utime + stime) and the threads' names ({@code comm}: the JVM gives each Java thread its name, cut to 15
 * characters). The process' own counters include its exited threads; what no live thread accounts for is
 * {@link #EXITED}.
 */
final class ThreadCpu {
    static final String EXITED = "exited threads";
    /** USER_HZ: the unit of /proc's CPU times on every Linux architecture the JVM runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ThreadCpu() {
    }

    /** CPU seconds by {@code group(threadName)}, plus {@link #EXITED}; empty if the process is gone. */
    static Map<String, Double> sample(long pid, Function<String, String> group) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            double total = ticks(Files.readString(proc.resolve("stat")));
            double threads = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : tasks) {
                    try {
                        double t = ticks(Files.readString(task.resolve("stat")));
                        String name = Files.readString(task.resolve("comm")).trim();
                        seconds.merge(group.apply(name), t / TICKS_PER_SECOND, Double::sum);
                        threads += t;
                    } catch (IOException e) {
                        // the thread exited between the listing and the read: the process' total keeps its time
                    }
                }
            }
            seconds.merge(EXITED, Math.max(0, total - threads) / TICKS_PER_SECOND, Double::sum);
        } catch (IOException e) {
            return Map.of();
        }
        return seconds;
    }

    /** {@code after - before}, group by group. */
    static Map<String, Double> difference(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((group, s) -> out.put(group, s - before.getOrDefault(group, 0.0)));
        return out;
    }

    /** utime + stime of a stat line; the name in parentheses may hold spaces, so fields count from its end. */
    private static double ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15
        return Double.parseDouble(fields[11]) + Double.parseDouble(fields[12]);
    }
}
