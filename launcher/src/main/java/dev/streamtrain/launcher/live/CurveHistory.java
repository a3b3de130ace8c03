package dev.streamtrain.launcher.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The points of every curve of every run seen so far, each curve keeping its newest
 * {@code capacity} points (the oldest are dropped), and each run's latest status values (the
 * served snapshot's step and age, the epoch, ...). What a new live-page client gets first.
 */
public final class CurveHistory {

    /** One point of a curve: seconds since sampling began, and the value. */
    public record Point(double t, double v) {
    }

    private final int capacity;
    private final Map<String, Map<String, Deque<Point>>> curves = new TreeMap<>();
    private final Map<String, Map<String, Double>> latest = new TreeMap<>();

    public CurveHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("CurveHistory capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Appends a point to curve {@code curve} of run {@code run}, dropping its oldest past the capacity. */
    public synchronized void add(String run, String curve, Point point) {
        Deque<Point> points = curves.computeIfAbsent(run, r -> new TreeMap<>())
                .computeIfAbsent(curve, c -> new ArrayDeque<>());
        points.addLast(point);
        while (points.size() > capacity) {
            points.removeFirst();
        }
    }

    /** Sets a status value of run {@code run} (not a curve: only the latest value is kept). */
    public synchronized void status(String run, String name, double value) {
        latest.computeIfAbsent(run, r -> new TreeMap<>()).put(name, value);
    }

    /** Run -> curve -> its points, oldest first: a copy. */
    public synchronized Map<String, Map<String, List<Point>>> curves() {
        Map<String, Map<String, List<Point>>> copy = new LinkedHashMap<>();
        curves.forEach((run, byCurve) -> {
            Map<String, List<Point>> c = new LinkedHashMap<>();
            byCurve.forEach((name, points) -> c.put(name, new ArrayList<>(points)));
            copy.put(run, c);
        });
        return copy;
    }

    /** Run -> status name -> latest value: a copy. */
    public synchronized Map<String, Map<String, Double>> status() {
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        latest.forEach((run, values) -> copy.put(run, new LinkedHashMap<>(values)));
        return copy;
    }
}
