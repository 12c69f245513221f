package io.ocppgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** CPU time a process has used, from {@code /proc/<pid>/stat} (Linux): for the per-process CPU split of a run. */
final class ProcessCpu {

    /** Clock ticks per second of /proc's utime and stime; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** User plus system CPU seconds of {@code pid} so far; NaN when it cannot be read. */
    static double seconds(long pid) {
        return statSeconds(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    /**
     * CPU seconds so far of each thread name of {@code pid} (threads of the same name summed; Linux
     * cuts names to 15 characters): shows a single thread that limits a process. Empty if unreadable.
     */
    static Map<String, Double> threadSeconds(long pid) {
        Map<String, Double> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    double cpu = statSeconds(task.resolve("stat"));
                    if (!Double.isNaN(cpu)) {
                        byName.merge(name, cpu, Double::sum);
                    }
                } catch (IOException e) {
                    // the thread ended between listing and reading
                }
            });
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byName;
    }

    /** CPU seconds so far of the JIT compiler threads of {@code pid} (HotSpot's C1 and C2); NaN when unreadable. */
    static double jitSeconds(long pid) {
        Map<String, Double> threads = threadSeconds(pid);
        return threads.isEmpty()
                ? Double.NaN
                : threads.entrySet().stream()
                        .filter(t -> t.getKey().startsWith("C1 CompilerThre")
                                || t.getKey().startsWith("C2 CompilerThre"))
                        .mapToDouble(Map.Entry::getValue)
                        .sum();
    }

    private static double statSeconds(Path stat) {
        try {
            String line = Files.readString(stat);
            // the command name (field 2) may hold spaces; fields after its ')' are fixed
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
