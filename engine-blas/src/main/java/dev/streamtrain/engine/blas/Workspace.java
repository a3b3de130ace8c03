package dev.streamtrain.engine.blas;

import java.nio.FloatBuffer;

/**
 * The native buffers a batch flows through: per stage boundary the values [n, width] and their
 * gradients, allocated for the largest batch seen so far and reused for every batch up to it (a
 * smaller batch uses the first rows). A larger batch allocates them anew, once.
 */
final class Workspace {

    private final int[] widths;
    private final FloatBuffer[] values;
    private final FloatBuffer[] gradients;
    private int rows;

    Workspace(int[] widths) {
        this.widths = widths.clone();
        this.values = new FloatBuffer[widths.length];
        this.gradients = new FloatBuffer[widths.length];
    }

    /** Makes room for batches of {@code n} samples. */
    void ensure(int n) {
        if (n <= rows) {
            return;
        }
        for (int b = 0; b < widths.length; b++) {
            values[b] = Blas.allocate(n * widths[b]);
            // nothing takes the gradient with respect to the network's input
            gradients[b] = b == 0 ? null : Blas.allocate(n * widths[b]);
        }
        rows = n;
    }

    /** Boundary {@code b}'s values: 0 is the input, b > 0 the output of stage b - 1. */
    FloatBuffer values(int b) {
        return values[b];
    }

    /** The loss's gradient with respect to {@link #values}(b); none for the input. */
    FloatBuffer gradients(int b) {
        return gradients[b];
    }

    int last() {
        return widths.length - 1;
    }
}
