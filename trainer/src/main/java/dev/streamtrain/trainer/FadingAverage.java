package dev.streamtrain.trainer;

/**
 * A fading (exponentially weighted) mean, River's convention: per sample {@code S ← α·S + x},
 * {@code N ← α·N + 1}, the mean {@code S / N}. The trainer knows a batch's mean, not each sample's
 * value, so a batch of {@code b} samples of mean {@code m} counts as {@code b} samples each
 * {@code m}, in closed form: with {@code a = α^b} and {@code g = 1 + α + … + α^(b−1) = (1 − a) / (1 − α)}
 * ({@code b} when {@code α = 1}), {@code S ← a·S + m·g} and {@code N ← a·N + g}. That is the per-sample
 * rule's result up to rounding (a few ulps relative, see the test), and a function of the batch alone,
 * so a resumed run computes exactly what an uninterrupted one does.
 */
final class FadingAverage {

    private final double factor;
    private double weight;
    private double sum;

    /** An empty mean fading by {@code factor} per sample, in (0, 1]. */
    FadingAverage(double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("--fading-factor must be in (0, 1], got " + factor);
        }
        this.factor = factor;
    }

    /** The mean as a snapshot left it: {@code weight} ({@code N}) and {@code sum} ({@code S}). */
    FadingAverage(double factor, double weight, double sum) {
        this(factor);
        this.weight = weight;
        this.sum = sum;
    }

    /** Adds {@code samples} samples, each of value {@code mean}. */
    void add(int samples, double mean) {
        double a = Math.pow(factor, samples);
        double g = weightOf(factor, samples);
        weight = a * weight + g;
        sum = a * sum + mean * g;
    }

    /** {@code 1 + α + … + α^(b−1)}: the weight {@code b} new samples carry together. */
    static double weightOf(double factor, int samples) {
        return factor == 1 ? samples : (1 - Math.pow(factor, samples)) / (1 - factor);
    }

    double weight() {
        return weight;
    }

    double sum() {
        return sum;
    }
}
