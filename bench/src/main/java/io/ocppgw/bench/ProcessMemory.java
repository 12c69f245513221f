package io.ocppgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory and open files of another JVM on this machine, from /proc and jcmd. */
public final class ProcessMemory {

    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    private static final Pattern GENERATION_USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    private ProcessMemory() {}

    /** Resident set size in bytes. */
    public static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    public static long openFiles(long pid) throws IOException {
        try (var files = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return files.count();
        }
    }

    /** Java heap in use right after a full GC (serial collector's generations), in bytes. */
    public static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = GENERATION_USED.matcher(info);
        long kib = 0;
        boolean found = false;
        while (m.find()) {
            kib += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("cannot read the heap of " + pid + ": " + info);
        }
        return kib * 1024;
    }

    /** Collections so far and their total pause time, from {@code jstat -gc}. */
    public record GcTotals(long collections, double seconds) {}

    public static GcTotals gc(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gc", String.valueOf(pid))
                .redirectErrorStream(true)
                .start();
        String[] lines = new String(p.getInputStream().readAllBytes()).trim().split("\n");
        p.waitFor(30, TimeUnit.SECONDS);
        if (lines.length < 2) {
            throw new IOException("jstat gave nothing for " + pid);
        }
        java.util.List<String> head = java.util.List.of(lines[0].trim().split("\\s+"));
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        long count = Long.parseLong(values[head.indexOf("YGC")]) + Long.parseLong(values[head.indexOf("FGC")]);
        return new GcTotals(count, Double.parseDouble(values[head.indexOf("GCT")]));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(JCMD.toString(), String.valueOf(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " hung");
        }
        return out;
    }
}
