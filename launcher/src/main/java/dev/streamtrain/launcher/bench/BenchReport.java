package dev.streamtrain.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code streamtrain bench} found: the machine, the method, every figure by section and key,
 * the PyTorch peer's own description, and the targets judged. Printed as a table (each
 * throughput with its ratio to the peer's step and to the peer's tutorial loop) and written as JSON.
 */
public final class BenchReport {

    /** The sections in the order they are printed, each with its figures' keys in order. */
    static final Map<String, List<String>> LAYOUT = layout();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> machine;
    private final Map<String, Object> method;
    private final Map<String, Map<String, Figure>> sections = new LinkedHashMap<>();
    private final Map<String, Object> peer = new LinkedHashMap<>();
    private double wallSeconds;

    BenchReport(Map<String, Object> machine, Map<String, Object> method) {
        this.machine = machine;
        this.method = method;
        LAYOUT.keySet().forEach(section -> sections.put(section, new LinkedHashMap<>()));
    }

    private static Map<String, List<String>> layout() {
        Map<String, List<String>> layout = new LinkedHashMap<>();
        layout.put("step", List.of("dl4j-fit")); // plus one "engine.<name>" per registered engine, first
        layout.put("peer", List.of("step", "tutorial"));
        layout.put("stream", List.of("train", "overhead"));
        layout.put("local", List.of("pipeline"));
        layout.put("producer", List.of("bytes", "batches"));
        layout.put("evaluator", List.of("test-loop"));
        layout.put("latency", List.of("p50", "p95"));
        layout.put("memory", List.of("local", "trainer", "evaluator"));
        layout.put("serving", List.of("http-p50", "http-p99", "kafka"));
        return layout;
    }

    void put(String section, String key, Figure figure) {
        if (!sections.containsKey(section)) {
            throw new IllegalArgumentException("no section " + section);
        }
        sections.get(section).put(key, figure);
    }

    /** Every figure of the layout not yet put, as skipped with {@code reason}. */
    void skipMissing(String reason) {
        LAYOUT.forEach((section, keys) -> keys.forEach(key -> sections.get(section)
                .putIfAbsent(key, Figure.skipped(section + " " + key, "-", reason))));
    }

    /** What the method says of {@code key} (e.g. {@code engine}); null when it says nothing. */
    Object method(String key) {
        return method.get(key);
    }

    Figure figure(String section, String key) {
        return sections.get(section).get(key);
    }

    void peer(Map<String, Object> about) {
        peer.putAll(about);
    }

    void wallSeconds(double seconds) {
        this.wallSeconds = seconds;
    }

    public Map<String, Object> toJson() {
        Figure peerStep = figure("peer", "step");
        Figure peerTutorial = figure("peer", "tutorial");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("method", method);
        Map<String, Object> figures = new LinkedHashMap<>();
        sections.forEach((section, byKey) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            byKey.forEach((key, f) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", f.name());
                m.put("value", f.value());
                m.put("unit", f.unit());
                if (!f.isMeasured()) {
                    m.put("reason", f.reason());
                }
                if (f.unit().equals(Figure.SAMPLES_PER_SECOND)) {
                    m.put("vsPeerStep", f.ratioTo(peerStep));
                    m.put("vsPeerTutorial", f.ratioTo(peerTutorial));
                }
                m.putAll(f.details());
                out.put(key, m);
            });
            figures.put(section, out);
        });
        json.put("figures", figures);
        json.put("peer", peer);
        json.put("targets", BenchTargets.judge(this));
        json.put("wallSeconds", wallSeconds);
        return json;
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), toJson());
    }

    public void printTable(PrintStream out) {
        Figure peerStep = figure("peer", "step");
        Figure peerTutorial = figure("peer", "tutorial");
        out.printf(Locale.ROOT, "%-50s %12s %-13s %9s %9s%n", "FIGURE", "VALUE", "UNIT", "/PT STEP", "/PT LOOP");
        sections.forEach((section, byKey) -> byKey.forEach((key, f) -> {
            if (f.isMeasured()) {
                out.printf(Locale.ROOT, "%-50s %12s %-13s %9s %9s%n", f.name(), number(f.value()), f.unit(),
                        ratio(f.ratioTo(peerStep)), ratio(f.ratioTo(peerTutorial)));
            } else {
                out.printf(Locale.ROOT, "%-50s %12s %-13s skipped: %s%n", f.name(), "-", f.unit(), f.reason());
            }
        }));
        if (Boolean.TRUE.equals(method.get("quick"))) {
            out.println("note: --quick checks that everything runs, on tiny generated data; its figures are not "
                    + "measurements");
        }
        if (peer.containsKey("warning")) {
            out.println("note: " + peer.get("warning"));
        }
        out.println();
        out.printf(Locale.ROOT, "%-45s %-26s %-14s %s%n", "TARGET (issues 10, 12)", "GOAL", "MEASURED", "");
        for (Map<String, Object> t : BenchTargets.judge(this)) {
            String goal = t.get("relation") + " " + plain((Double) t.get("goal")) + " " + t.get("unit")
                    + (t.get("milestone") == null ? "" : " (milestone " + plain((Double) t.get("milestone")) + ")");
            Double measured = (Double) t.get("measured");
            String verdict = measured == null ? "not measured: " + t.get("reason")
                    : Boolean.TRUE.equals(t.get("met")) ? "met"
                    : Boolean.TRUE.equals(t.get("milestoneMet")) ? "milestone met, goal not" : "NOT met";
            out.printf(Locale.ROOT, "%-45s %-26s %-14s %s%n", t.get("target"), goal,
                    measured == null ? "-" : number(measured) + " " + t.get("unit"), verdict);
        }
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String ratio(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }
}
