package dev.streamtrain.model.optim;

import java.util.Locale;

/** The range checks torch.optim makes of hyperparameters, with messages naming the optimizer and field. */
final class Hyperparameters {

    private Hyperparameters() {
    }

    static void requireLr(String optimizer, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(optimizer + ": lr must be a finite number > 0, got " + lr
                    + " (the tutorial uses 1e-3)");
        }
    }

    static void requireAtLeastZero(String optimizer, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(optimizer + ": " + field + " must be a finite number >= 0, got "
                    + value);
        }
    }

    static void requireFraction(String optimizer, String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(optimizer + ": " + field + " must be in [0, 1), got " + value);
        }
    }

    /** {@code value}, or {@code otherwise} if it is missing (null). */
    static double or(Double value, double otherwise) {
        return value != null ? value : otherwise;
    }

    /** A hyperparameter as torch prints it: {@code 0.001}, {@code 1e-08}, {@code 0}. */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        String plain = String.format(Locale.ROOT, "%s", value);
        if (plain.contains("E")) {
            String[] parts = plain.split("E");
            int exponent = Integer.parseInt(parts[1]);
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d",
                    Math.abs(exponent));
        }
        return plain;
    }
}
