package dev.streamtrain.launcher.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One measured figure of {@code streamtrain bench}: a value in a unit, or none and the reason it
 * was not measured, and the details of how it was (rounds, per-epoch times, sample counts).
 *
 * @param name    what was measured, as the table prints it
 * @param value   the figure, positive; null when skipped
 * @param unit    e.g. {@code samples/s}, {@code MB/s}, {@code s}, {@code MiB}, {@code %}
 * @param reason  why there is no value; null when measured
 * @param details how it was measured, as JSON members
 */
public record Figure(String name, Double value, String unit, String reason, Map<String, Object> details) {

    public static final String SAMPLES_PER_SECOND = "samples/s";

    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if ((value == null) == (reason == null)) {
            throw new IllegalArgumentException(name + ": a figure has a value or a reason it has none, not "
                    + (value == null ? "neither" : "both"));
        }
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
    }

    public static Figure measured(String name, double value, String unit, Map<String, Object> details) {
        return new Figure(name, value, unit, null, details);
    }

    public static Figure skipped(String name, String unit, String reason) {
        return new Figure(name, null, unit, reason, Map.of());
    }

    public boolean isMeasured() {
        return value != null;
    }

    /** This figure over {@code other} when both are measured throughputs, else null. */
    public Double ratioTo(Figure other) {
        if (other == null || !isMeasured() || !other.isMeasured() || !unit.equals(SAMPLES_PER_SECOND)
                || !other.unit.equals(SAMPLES_PER_SECOND)) {
            return null;
        }
        return value / other.value;
    }
}
