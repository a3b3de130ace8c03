package dev.streamtrain.launcher.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The performance targets of issue 10 (and of issue 12, serving), each with its milestone where it
 * has one, judged against what a benchmark measured: met, not met, or not judged (a figure it needs was skipped).
 */
final class BenchTargets {

    private BenchTargets() {
    }

    static List<Map<String, Object>> judge(BenchReport report) {
        List<Map<String, Object>> targets = new ArrayList<>();
        Figure stream = report.figure("stream", "train");
        Figure peerStep = report.figure("peer", "step");
        Figure local = report.figure("local", "pipeline");
        Figure peerTutorial = report.figure("peer", "tutorial");
        targets.add(atLeast("trainer from the topic vs PyTorch's step", ratio(stream, peerStep), 1.0, 0.8, "x",
                stream, peerStep));
        if (Boolean.TRUE.equals(report.method("convolutional"))) { // the MNIST variant's convnet, lenet5
            Figure step = report.figure("step", "engine." + report.method("engine"));
            targets.add(atLeast("convnet step (engine " + report.method("engine") + ") vs PyTorch's step",
                    ratio(step, peerStep), 0.8, null, "x", step, peerStep));
        }
        targets.add(atMost("stream overhead over the in-memory step", value(report.figure("stream", "overhead")), 5.0,
                null, "%", report.figure("stream", "overhead")));
        targets.add(atLeast("local vs the tutorial loop as written", ratio(local, peerTutorial), 1.5, 1.2, "x",
                local, peerTutorial));
        targets.add(atLeast("producer throughput", value(report.figure("producer", "bytes")), 100.0, null, "MB/s",
                report.figure("producer", "bytes")));
        targets.add(atMost("snapshot -> metric latency p50", value(report.figure("latency", "p50")), 1.0, null, "s",
                report.figure("latency", "p50")));
        targets.add(atMost("trainer peak RSS", value(report.figure("memory", "trainer")), 1024.0, null, "MiB",
                report.figure("memory", "trainer")));
        targets.add(atMost("local peak RSS", value(report.figure("memory", "local")), 1536.0, null, "MiB",
                report.figure("memory", "local")));
        // issue 12's: serving the newest model
        targets.add(atMost("serve: single-sample HTTP latency p99", value(report.figure("serving", "http-p99")), 5.0,
                null, "ms", report.figure("serving", "http-p99")));
        targets.add(atLeast("serve: Kafka path throughput", value(report.figure("serving", "kafka")), 10_000.0, null,
                "predictions/s", report.figure("serving", "kafka")));
        return targets;
    }

    private static Double ratio(Figure a, Figure b) {
        return a == null ? null : a.ratioTo(b);
    }

    private static Double value(Figure f) {
        return f == null ? null : f.value();
    }

    private static Map<String, Object> atLeast(String name, Double measured, double target, Double milestone,
                                               String unit, Figure... from) {
        return judged(name, ">=", measured, target, milestone, unit, measured != null && measured >= target,
                milestone != null && measured != null && measured >= milestone, from);
    }

    private static Map<String, Object> atMost(String name, Double measured, double target, Double milestone,
                                              String unit, Figure... from) {
        return judged(name, "<=", measured, target, milestone, unit, measured != null && measured <= target,
                milestone != null && measured != null && measured <= milestone, from);
    }

    private static Map<String, Object> judged(String name, String relation, Double measured, double target,
                                              Double milestone, String unit, boolean met, boolean milestoneMet,
                                              Figure... from) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", name);
        t.put("relation", relation);
        t.put("goal", target);
        t.put("milestone", milestone);
        t.put("unit", unit);
        t.put("measured", measured);
        t.put("met", measured == null ? null : met);
        t.put("milestoneMet", measured == null || milestone == null ? null : milestoneMet);
        if (measured == null) {
            List<String> reasons = new ArrayList<>();
            for (Figure f : from) {
                if (f != null && !f.isMeasured()) {
                    reasons.add(f.name() + ": " + f.reason());
                }
            }
            t.put("reason", reasons.isEmpty() ? "not measured" : String.join("; ", reasons));
        }
        return t;
    }
}
