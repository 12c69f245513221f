package io.ocppgw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Figures of the connection scenarios (connections, failover, storm, broadcast): named values per case, each
 * measured in one or more runs (median, min, max), and time series (charge points connected over
 * time, per run, or outcomes over time). Printed as a table; written as {@code <scenario>.json} and {@code <scenario>-timeline.png}.
 */
public final class FleetReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String scenario;
    private final String settings;
    private final Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final String seriesTitle;
    private final String seriesUnit;

    /** A report whose time series count charge points connected. */
    public FleetReport(String scenario, String settings) {
        this(scenario, settings, "charge points connected over time", "connected");
    }

    /** A report whose time series show {@code seriesUnit} over time, charted under {@code seriesTitle}. */
    public FleetReport(String scenario, String settings, String seriesTitle, String seriesUnit) {
        this.scenario = scenario;
        this.settings = settings;
        this.seriesTitle = seriesTitle;
        this.seriesUnit = seriesUnit;
    }

    public synchronized void figure(String caseName, String figure, double value, String unit) {
        figures.computeIfAbsent(caseName, k -> new LinkedHashMap<>())
                .computeIfAbsent(figure, k -> new ArrayList<>())
                .add(value);
        units.put(figure, unit);
    }

    /** A point of a time series: {@code seconds} since the series' zero. */
    public synchronized void point(String seriesName, double seconds, double value) {
        series.computeIfAbsent(seriesName, k -> new ArrayList<>()).add(new double[] {seconds, value});
    }

    public synchronized List<Double> values(String caseName, String figure) {
        return figures.getOrDefault(caseName, Map.of()).getOrDefault(figure, List.of());
    }

    public synchronized String table() {
        StringBuilder t = new StringBuilder(
                String.format("%-30s %-38s %12s %22s  %s%n", "case", "figure", "median", "(min-max)", "unit"));
        figures.forEach((c, fs) -> fs.forEach((f, v) -> {
            List<Double> sorted = v.stream().sorted().toList();
            t.append(String.format(
                    "%-30s %-38s %12s %22s  %s%n",
                    c,
                    f,
                    fmt(sorted.get(sorted.size() / 2)),
                    sorted.size() > 1 ? "(" + fmt(sorted.get(0)) + "-" + fmt(sorted.get(sorted.size() - 1)) + ")" : "",
                    units.get(f)));
        }));
        return t.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v)
                ? "n/a"
                : v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format("%,d", (long) v) : String.format("%,.2f", v);
    }

    public synchronized void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode json = BenchReport.header(MAPPER, scenario, settings);
        ArrayNode rows = json.putArray("figures");
        figures.forEach((c, fs) -> fs.forEach((f, v) -> {
            ObjectNode row = rows.addObject()
                    .put("case", c)
                    .put("figure", f)
                    .put("unit", units.get(f))
                    .put("median", v.stream().sorted().toList().get(v.size() / 2));
            v.forEach(row.putArray("runs")::add);
        }));
        ObjectNode timelines = json.putObject("timelines");
        series.forEach((name, points) -> {
            ArrayNode a = timelines.putArray(name);
            points.forEach(p -> a.addArray().add(p[0]).add(p[1]));
        });
        MAPPER.writeValue(dir.resolve(scenario + ".json").toFile(), json);
        if (series.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen, on machines with no display
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name);
            points.forEach(p -> s.add(p[0], p[1]));
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(
                scenario + ": " + seriesTitle,
                "seconds",
                seriesUnit,
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        ChartUtils.saveChartAsPNG(dir.resolve(scenario + "-timeline.png").toFile(), chart, 900, 500);
    }
}
