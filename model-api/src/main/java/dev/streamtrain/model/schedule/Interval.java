package dev.streamtrain.model.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How often a schedule moves: once per epoch (torch's usual {@code scheduler.step()} per epoch) or per step. */
public enum Interval {
    EPOCH,
    STEP;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Interval of(String id) {
        for (Interval i : values()) {
            if (i.id().equalsIgnoreCase(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("interval must be 'epoch' or 'step', got '" + id + "'");
    }
}
