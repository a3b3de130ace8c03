package dev.streamtrain.contracts.wire;

import java.util.Locale;

/**
 * Which part of a dataset a minibatch comes from; its code is the byte on the wire. The
 * validation split (code 2, minibatch record version 2 on) is carved from the training file by
 * the producer, seeded, disjoint from the batches the trainer sees.
 */
public enum Split {
    TRAIN(0),
    TEST(1),
    VALIDATION(2);

    private final int code;

    Split(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name in metrics records and Prometheus tags: {@code train}, {@code test}, {@code validation}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Split fromCode(int code) {
        for (Split split : values()) {
            if (split.code == code) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split code " + code + " (0 = train, 1 = test, 2 = validation)");
    }
}
