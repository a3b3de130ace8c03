package dev.streamtrain.model.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * The shape of one sample as it flows through a network, batch dimension left out: [C, H, W] for
 * images, [F] for feature vectors. In JSON, an array of the dimensions.
 */
public record Shape(int[] dims) {

    public Shape {
        dims = dims.clone();
        if (dims.length < 1) {
            throw new IllegalArgumentException("a shape has at least one dimension");
        }
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a dimension < 1");
            }
        }
    }

    @JsonCreator
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    @Override
    @JsonValue
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    /** Number of values, the product of the dimensions. */
    public int size() {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        return Math.toIntExact(size);
    }

    public boolean isImage() {
        return dims.length == 3;
    }

    /** Fails unless this is an image shape [C, H, W]; {@code layer} names who needs it. */
    public Shape requireImage(String layer) {
        if (!isImage()) {
            throw new IllegalArgumentException(layer + " needs an image input [channels, height, width], got "
                    + this);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
