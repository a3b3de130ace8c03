package dev.streamtrain.launcher.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Reads the meters a command already holds, by name and tags, and turns them into curve points
 * (kept in a {@link CurveHistory}) and status values, per run (tag {@code run}). A train or
 * prequential curve gets a point when the run's trained-batch count moved since the last sample; a
 * test or validation curve when one more snapshot was evaluated (so one point per snapshot). What
 * a run does not have (no trainer in {@code serve}, no validation split) is simply absent.
 */
public final class MeterSampler {

    /** Gauges drawn as curves: meter name -> curve name. Prequential ones add their estimator tag. */
    static final Map<String, String> TRAIN_CURVES = Map.of(
            "streamtrain.train.loss", "train.loss",
            "streamtrain.train.accuracy", "train.accuracy",
            "streamtrain.prequential.loss", "prequential.loss",
            "streamtrain.prequential.accuracy", "prequential.accuracy");
    static final Map<String, String> SNAPSHOT_CURVES = Map.of(
            "streamtrain.test.accuracy", "test.accuracy",
            "streamtrain.test.loss", "test.loss",
            "streamtrain.val.accuracy", "val.accuracy",
            "streamtrain.val.loss", "val.loss");
    static final String BATCHES = "streamtrain.train.batches";
    static final String EVALUATED = "streamtrain.snapshot.to.metric";
    /** Single values shown beside the curves: meter name -> status name. */
    static final Map<String, String> STATUS = Map.of(
            "streamtrain.train.epoch", "epoch",
            "streamtrain.train.samples", "samples",
            "streamtrain.snapshots.published", "snapshots",
            "streamtrain.served.snapshot.step", "served.step",
            "streamtrain.served.snapshot.age", "served.age");

    private final MeterRegistry registry;
    private final CurveHistory history;
    private final LongSupplier nanos;
    private final long start;
    /** Run + curve -> the count (batches or evaluated snapshots) its last point was taken at. */
    private final Map<String, Double> takenAt = new HashMap<>();

    public MeterSampler(MeterRegistry registry, CurveHistory history, LongSupplier nanos) {
        this.registry = registry;
        this.history = history;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /** One sample: the new points (run -> curve -> points) and every run's status, also kept in the history. */
    public synchronized Update sample() {
        double t = Math.round((nanos.getAsLong() - start) / 1e8) / 10.0;
        Map<String, Double> batches = counts(BATCHES);
        Map<String, Double> evaluated = counts(EVALUATED);
        Map<String, Map<String, List<CurveHistory.Point>>> points = new LinkedHashMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            String run = meter.getId().getTag("run");
            double value = meter instanceof Gauge gauge ? gauge.value()
                    : meter instanceof Counter counter ? counter.count() : Double.NaN;
            if (run == null || !Double.isFinite(value)) {
                continue;
            }
            if (STATUS.containsKey(name)) {
                history.status(run, STATUS.get(name), value);
            }
            if (!(meter instanceof Gauge)) {
                continue;
            }
            String curve = TRAIN_CURVES.get(name);
            Double count = batches.get(run);
            if (curve == null) {
                curve = SNAPSHOT_CURVES.get(name);
                count = evaluated.get(run);
            }
            if (curve == null) {
                continue;
            }
            String estimator = meter.getId().getTag("estimator");
            if (estimator != null) {
                curve = curve + "." + estimator;
            }
            // Without its counter (another service's meters), a new value is a new point.
            double at = count != null ? count : value;
            Double last = takenAt.put(run + "\u0000" + curve, at);
            if (last == null || last != at) {
                CurveHistory.Point point = new CurveHistory.Point(t, value);
                history.add(run, curve, point);
                points.computeIfAbsent(run, r -> new LinkedHashMap<>())
                        .computeIfAbsent(curve, c -> new ArrayList<>()).add(point);
            }
        }
        evaluated.forEach((run, n) -> history.status(run, "evaluated", n));
        return new Update(t, points, history.status());
    }

    /** Run -> count of a counter's or timer's events named {@code name}. */
    private Map<String, Double> counts(String name) {
        Map<String, Double> counts = new HashMap<>();
        for (Meter meter : registry.find(name).meters()) {
            String run = meter.getId().getTag("run");
            if (run == null) {
                continue;
            }
            double n = meter instanceof Counter c ? c.count() : meter instanceof Timer timer ? timer.count() : Double.NaN;
            if (Double.isFinite(n)) {
                counts.merge(run, n, Double::sum);
            }
        }
        return counts;
    }

    /** What one sample found: its time, new points per run and curve, and every run's status. */
    public record Update(double t, Map<String, Map<String, List<CurveHistory.Point>>> curves,
                         Map<String, Map<String, Double>> status) {
    }
}
