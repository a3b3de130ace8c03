package dev.streamtrain.contracts.transform;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.streamtrain.model.layer.Shape;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * torchvision's {@code Normalize(mean, std)}: per channel {@code c}, {@code (x - mean[c]) / std[c]}
 * in float32, as {@code tensor.sub_(mean).div_(std)} computes it (one rounding after the
 * subtraction, one after the division). One mean and std apply to every channel, as torch
 * broadcasts them; otherwise there is one per channel (the first dimension of a sample).
 *
 * @param mean per-channel means, finite
 * @param std  per-channel standard deviations, finite and > 0
 */
public record Normalize(double[] mean, double[] std) implements TensorTransform {

    public static final String NAME = "normalize";

    public Normalize {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs as many means as stds, at least one each; got mean "
                    + Arrays.toString(mean) + ", std " + Arrays.toString(std));
        }
        mean = mean.clone();
        std = std.clone();
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c]) || !(std[c] > 0) || !Double.isFinite(std[c])) {
                throw new IllegalArgumentException("Normalize needs finite means and finite stds > 0; got mean "
                        + Arrays.toString(mean) + ", std " + Arrays.toString(std));
            }
        }
    }

    /** A copy: the record's arrays never change. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** A copy: the record's arrays never change. */
    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public void requireFits(Shape sampleShape) {
        int channels = sampleShape.dims()[0];
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException(describe() + " has " + mean.length + " channels, samples of shape "
                    + sampleShape + " have " + channels + " (give one value, or one per channel)");
        }
    }

    @Override
    public void apply(float[] features, Shape sampleShape) {
        requireFits(sampleShape);
        int[] dims = sampleShape.dims();
        int channels = dims[0];
        int sampleSize = sampleShape.size();
        int plane = sampleSize / channels;
        float[] m = new float[channels];
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = (float) mean[mean.length == 1 ? 0 : c];
            s[c] = (float) std[std.length == 1 ? 0 : c];
        }
        for (int base = 0; base < features.length; base += sampleSize) {
            for (int c = 0; c < channels; c++) {
                float mc = m[c];
                float sc = s[c];
                int from = base + c * plane;
                for (int i = from; i < from + plane; i++) {
                    features[i] = (features[i] - mc) / sc;
                }
            }
        }
    }

    @Override
    @JsonIgnore
    public String describe() {
        return "Normalize(mean=" + list(mean) + ", std=" + list(std) + ")";
    }

    private static String list(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%s", v))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalize n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return describe();
    }
}
