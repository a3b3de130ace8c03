package dev.streamtrain.engine.blas;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * One layer of the network as this engine computes it (a Linear or Conv2d layer with the
 * activation after it fused in), from an input buffer [n, inWidth] to an output buffer
 * [n, outWidth], both row-major (images NCHW) and allocated by the caller once per largest batch.
 */
sealed interface Stage permits Dense, Convolution, MaxPooling, Pointwise, DropoutStage {

    int outWidth();

    boolean hasParameters();

    /** The training-mode ({@code training}) or eval-mode output of {@code in} into {@code out}; dropout draws from {@code random}. */
    void forward(FloatBuffer in, FloatBuffer out, int n, boolean training, SplittableRandom random);

    /**
     * Backpropagation of the last training-mode {@link #forward} ({@code in} and {@code out} as it
     * left them): from {@code outGradient}, the loss's gradient with respect to {@code out} (which
     * this may overwrite), the gradients of the parameters into their place in the gradient
     * buffer, and the gradient with respect to {@code in} into {@code inGradient} unless it is null
     * (nothing before this stage has parameters).
     */
    void backward(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n);

    /** Whether {@link #backwardWithSgd} is available: the stage can apply plain SGD to its parameters itself. */
    default boolean fusesSgd() {
        return false;
    }

    /**
     * {@link #backward}, except that instead of storing its parameters' gradients it applies plain
     * SGD with them ({@code p = p - rate * g}) in place, after the gradient with respect to
     * {@code in} was taken with the parameters as they were.
     */
    default void backwardWithSgd(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient,
                                 int n, float rate) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse SGD");
    }
}
