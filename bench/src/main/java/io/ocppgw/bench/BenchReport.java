package io.ocppgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
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
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
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
    /** p99 targets drawn as lines on the latency chart, by label. */
    private final Map<String, Double> p99TargetsMs = new LinkedHashMap<>();
    /** Okabe-Ito colours: told apart by most readers, colour-blind ones included. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2),
        new Color(0xD55E00),
        new Color(0x009E73),
        new Color(0xCC79A7),
        new Color(0xE69F00),
        new Color(0x56B4E9),
        new Color(0xF0E442),
        Color.BLACK
    };

    /** The p99 targets of each scenario, drawn on its latency chart. */
    private static final Map<String, Map<String, Double>> P99_TARGETS_MS = Map.of(
            "routing", Map.of("exactly_once_v2 target", 100.0, "at_least_once target", 25.0),
            "upstream", Map.of("target at 10,000/s", 25.0));

    public BenchReport(String scenario, String settings) {
        this.scenario = scenario;
        this.settings = settings;
        p99TargetsMs.putAll(P99_TARGETS_MS.getOrDefault(scenario, Map.of()));
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
        writeCharts(dir);
    }

    /** A report as {@link #write} wrote it, to draw its charts again ({@code ocppgw bench chart}). */
    public static BenchReport read(Path json) throws IOException {
        JsonNode root = MAPPER.readTree(json.toFile());
        BenchReport report = new BenchReport(
                root.path("scenario").asText(), root.path("settings").asText());
        for (JsonNode row : root.path("rows")) {
            for (JsonNode sample : row.path("samples")) {
                report.add(
                        row.path("target").asText(),
                        row.path("offered").asInt(),
                        MAPPER.treeToValue(sample, Sample.class));
            }
        }
        return report;
    }

    /**
     * A log axis in whole decades, from below the smallest latency or target to above the largest, so
     * every point and every target line shows, labelled with plain numbers.
     */
    private LogAxis logMsAxis(XYSeriesCollection latency) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int s = 0; s < latency.getSeriesCount(); s++) {
            for (int i = 0; i < latency.getItemCount(s); i++) {
                double y = latency.getYValue(s, i);
                if (y > 0) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        for (double target : p99TargetsMs.values()) {
            min = Math.min(min, target);
            max = Math.max(max, target);
        }
        if (max == 0) {
            min = 1;
            max = 10;
        }
        double lower = Math.pow(10, Math.floor(Math.log10(min)));
        double upper = Math.pow(10, Math.ceil(Math.log10(max)));
        LogAxis axis = new LogAxis("p99 ms (log scale)");
        axis.setSmallestValue(0.01);
        axis.setRange(lower, upper > lower ? upper : lower * 10);
        axis.setTickUnit(new NumberTickUnit(1)); // one label per decade
        axis.setMinorTickMarksVisible(true);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
        return axis;
    }

    /** The latency chart (p99 by offered load, log scale, targets as lines) and the saturation chart, as PNG files in {@code dir}. */
    public void writeCharts(Path dir) throws IOException {
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
        XYPlot plot = (XYPlot) p99.getPlot();
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true); // points show even for one offered load
        for (int i = 0; i < latency.getSeriesCount(); i++) {
            lines.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            lines.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(lines);
        // latencies span orders of magnitude (a few ms to seconds): a log axis keeps them all readable
        plot.setRangeAxis(logMsAxis(latency));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        NumberAxis offered = (NumberAxis) plot.getDomainAxis();
        offered.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        offered.setNumberFormatOverride(new DecimalFormat("#,##0"));
        offered.setAutoRangeIncludesZero(true);
        p99TargetsMs.forEach((label, ms) -> {
            ValueMarker target = new ValueMarker(
                    ms,
                    Color.DARK_GRAY,
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            target.setLabel(label + " " + String.format(Locale.ROOT, "%.0f", ms) + " ms");
            target.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            target.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(target);
        });
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
