package io.ocppgw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The results of one scenario: every run's sample, grouped by target and offered load into the median
 * and the spread (min–max); printed as a table and written as JSON and PNG charts.
 */
public final class BenchReport {

    /**
     * One run: answered CALLs per second, errors, latency percentiles in ms, CPU % per process, and
     * CPU % per thread name of the target process (empty where not measured).
     */
    public record Sample(
            double throughput,
            long errors,
            double p50Ms,
            double p99Ms,
            double p999Ms,
            Map<String, Double> cpuPercent,
            Map<String, Double> targetThreadsCpuPercent) {
        public Sample(
                double throughput,
                long errors,
                double p50Ms,
                double p99Ms,
                double p999Ms,
                Map<String, Double> cpuPercent) {
            this(throughput, errors, p50Ms, p99Ms, p999Ms, cpuPercent, Map.of());
        }
    }

    /** All runs of one target at one offered load (0 = saturation). */
    public record Row(String target, int offered, List<Sample> samples) {
        double median(ToDoubleFunction<Sample> f) {
            double[] v = samples.stream().mapToDouble(f).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        double min(ToDoubleFunction<Sample> f) {
            return samples.stream().mapToDouble(f).min().orElse(Double.NaN);
        }

        double max(ToDoubleFunction<Sample> f) {
            return samples.stream().mapToDouble(f).max().orElse(Double.NaN);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String scenario;
    private final String settings;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    public BenchReport(String scenario, String settings) {
        this.scenario = scenario;
        this.settings = settings;
    }

    public void add(String target, int offered, Sample sample) {
        rows.computeIfAbsent(target + "@" + offered, k -> new Row(target, offered, new ArrayList<>()))
                .samples()
                .add(sample);
    }

    public List<Row> rows() {
        return List.copyOf(rows.values());
    }

    /** Median saturation throughput of a target. */
    public double saturation(String target) {
        Row r = rows.get(target + "@0");
        return r == null ? Double.NaN : r.median(Sample::throughput);
    }

    public String table() {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "%-16s %9s %21s %8s %8s %17s %8s %6s %6s %6s%n",
                "target",
                "offered/s",
                "achieved/s (min-max)",
                "p50 ms",
                "p99 ms",
                "p99 (min-max)",
                "p999 ms",
                "cpu%T",
                "cpu%K",
                "cpu%L"));
        for (Row r : rows.values()) {
            t.append(String.format(
                    Locale.ROOT,
                    "%-16s %9s %9.0f (%4.0f-%4.0f) %8.2f %8.2f %7.2f-%-7.2f %8.2f %6.0f %6.0f %6.0f%n",
                    r.target(),
                    r.offered() == 0 ? "max" : String.valueOf(r.offered()),
                    r.median(Sample::throughput),
                    r.min(Sample::throughput),
                    r.max(Sample::throughput),
                    r.median(Sample::p50Ms),
                    r.median(Sample::p99Ms),
                    r.min(Sample::p99Ms),
                    r.max(Sample::p99Ms),
                    r.median(Sample::p999Ms),
                    r.median(s -> s.cpuPercent().get("target")),
                    r.median(s -> s.cpuPercent().get("broker")),
                    r.median(s -> s.cpuPercent().get("load"))));
        }
        for (String target : List.of("gateway-off", "gateway-strict")) {
            if (rows.containsKey(target + "@0") && rows.containsKey("bare@0")) {
                t.append(String.format(
                        Locale.ROOT, "saturation %s / bare = %.2f%n", target, saturation(target) / saturation("bare")));
            }
        }
        t.append("cpu%T target process, cpu%K Kafka broker, cpu%L load generator (100 = one core)\n");
        return t.toString();
    }

    /** What every report's JSON starts with: the scenario, when, its settings, and the machine it ran on. */
    static ObjectNode header(ObjectMapper mapper, String scenario, String settings) {
        return mapper.createObjectNode()
                .put("scenario", scenario)
                .put("at", Instant.now().toString())
                .put("settings", settings)
                .put("java", System.getProperty("java.version"))
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("jvm", ManagementFactory.getRuntimeMXBean().getVmName())
                .put("cpu", cpuModel());
    }

    /** The CPU's model name from /proc/cpuinfo (Linux), so runs on different hosts can be told apart; "unknown" elsewhere. */
    static String cpuModel() {
        try (java.util.stream.Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown";
        }
    }

    /** Writes {@code <scenario>.json}, {@code <scenario>-latency.png} and {@code <scenario>-throughput.png}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode json = header(MAPPER, scenario, settings);
        ArrayNode list = json.putArray("rows");
        for (Row r : rows.values()) {
            ObjectNode row = list.addObject()
                    .put("target", r.target())
                    .put("offered", r.offered())
                    .put("throughputMedian", r.median(Sample::throughput))
                    .put("p99MsMedian", r.median(Sample::p99Ms));
            row.set("samples", MAPPER.valueToTree(r.samples()));
        }
        MAPPER.writeValue(dir.resolve(scenario + ".json").toFile(), json);

        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen, on machines with no display
        XYSeriesCollection latency = new XYSeriesCollection();
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (Row r : rows.values()) {
            if (r.offered() == 0) {
                throughput.addValue(r.median(Sample::throughput), "CALLs/s", r.target());
            } else {
                series.computeIfAbsent(r.target(), XYSeries::new).add(r.offered(), r.median(Sample::p99Ms));
            }
        }
        series.values().forEach(latency::addSeries);
        JFreeChart p99 = ChartFactory.createXYLineChart(
                scenario + ": p99 latency by offered load",
                "offered CALLs/s",
                "p99 ms",
                latency,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        ((XYPlot) p99.getPlot())
                .setRenderer(new XYLineAndShapeRenderer(true, true)); // points show even for one offered load
        ChartUtils.saveChartAsPNG(dir.resolve(scenario + "-latency.png").toFile(), p99, 800, 500);
        JFreeChart sat = ChartFactory.createBarChart(
                scenario + ": throughput at saturation",
                "target",
                "CALLs/s",
                throughput,
                PlotOrientation.VERTICAL,
                false,
                false,
                false);
        ChartUtils.saveChartAsPNG(dir.resolve(scenario + "-throughput.png").toFile(), sat, 800, 500);
    }
}
