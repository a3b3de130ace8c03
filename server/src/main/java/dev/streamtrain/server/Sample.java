package dev.streamtrain.server;

import dev.streamtrain.model.layer.Shape;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sample of a prediction request: its uint8 pixels in row-major (C, H, W) order, as a minibatch
 * record holds a sample's, and the dimensions it was given in: {@code [n]} for a flat array,
 * {@code [H, W]} or {@code [C, H, W]} for nested arrays or an image.
 */
public record Sample(byte[] pixels, int[] dims) {

    public Sample {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(dims, "dims");
        dims = dims.clone();
        if (Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b) != pixels.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " do not hold "
                    + pixels.length + " pixels");
        }
    }

    /** A flat sample. */
    public static Sample flat(byte[] pixels) {
        return new Sample(pixels, new int[] {pixels.length});
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Whether this sample is one of {@code shape} ({@code [C, H, W]}): flat with as many pixels, or nested as
     * {@code [C, H, W]}, or as {@code [H, W]} when C is 1.
     */
    public boolean fits(Shape shape) {
        int[] want = shape.dims();
        if (dims.length == 1) {
            return dims[0] == shape.size();
        }
        if (Arrays.equals(dims, want)) {
            return true;
        }
        return want.length == 3 && want[0] == 1 && Arrays.equals(dims, new int[] {want[1], want[2]});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && Arrays.equals(pixels, s.pixels) && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pixels) + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "Sample" + Arrays.toString(dims);
    }
}
