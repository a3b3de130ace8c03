package dev.streamtrain.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which of a run's snapshots {@code streamtrain serve} serves, and so when it swaps to another. */
public enum ServePolicy {
    /** The run's newest committed snapshot: a swap as soon as the next one is committed. */
    LATEST,
    /**
     * The snapshot the evaluator measured best so far: a swap as soon as a snapshot's metrics show a
     * lower validation loss (runs with a validation split) or test loss (runs without one) than the
     * served one's. A NaN loss is never served.
     */
    BEST;

    /** The name on the command line and in every prediction: {@code latest}, {@code best}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServePolicy of(String label) {
        for (ServePolicy p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown serving policy '" + label + "'; use one of "
                + Arrays.stream(values()).map(ServePolicy::label).collect(Collectors.joining(", ")));
    }
}
