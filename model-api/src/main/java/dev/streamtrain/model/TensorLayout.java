package dev.streamtrain.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Name and shape of one parameter tensor in a snapshot, e.g. {@code 0_W [784, 512]}. Its
 * values are stored row-major (C order), as numpy reshapes them by default.
 */
public record TensorLayout(String name, int[] shape) {

    public static final int MAX_RANK = 8;

    public TensorLayout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        if (shape.length < 1 || shape.length > MAX_RANK) {
            throw new IllegalArgumentException("tensor '" + name + "' must have 1.." + MAX_RANK
                    + " dimensions, got " + shape.length);
        }
        shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("tensor '" + name + "' has a dimension < 1: "
                        + Arrays.toString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(shape)
                        + " has more than " + Integer.MAX_VALUE + " values");
            }
        }
    }

    /** Number of values, the product of the shape. */
    public long size() {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        return size;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorLayout t && name.equals(t.name) && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
