package dev.streamtrain.engine.blas;

import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.ReLU;
import dev.streamtrain.model.layer.Sigmoid;
import dev.streamtrain.model.layer.Tanh;

/**
 * An elementwise activation, on one row at a time in heap arrays (the stages copy rows in and out of
 * the native buffers in bulk: loops over arrays are what the JIT vectorises, loops over direct
 * buffers are not), fused with the bias of the Linear layer before it. Its derivative is computed
 * from its output alone, so backpropagation keeps no pre-activations. Tanh and sigmoid use
 * {@link StrictMath} in double and round once: the same bits on every JVM.
 */
enum Activation {
    IDENTITY,
    /** {@code max(z, 0)}; its derivative is 0 at 0, as torch's. A NaN stays NaN, so divergence shows in the loss. */
    RELU,
    TANH,
    SIGMOID;

    /** 2^149 = 1 / Float.MIN_VALUE, as two exact float factors (2^149 itself is beyond float's range). */
    private static final float TWO_POW_100 = 0x1p100f;
    private static final float TWO_POW_49 = 0x1p49f;

    /** The activation {@code layer} computes, or null if it is no activation. */
    static Activation of(Layer layer) {
        if (layer instanceof ReLU) {
            return RELU;
        }
        if (layer instanceof Tanh) {
            return TANH;
        }
        if (layer instanceof Sigmoid) {
            return SIGMOID;
        }
        return null;
    }

    /** {@code row[c] = f(row[c] + bias[c])} for c < width; {@code bias} null adds nothing. */
    void forward(float[] row, float[] bias, int width) {
        if (bias != null) {
            for (int c = 0; c < width; c++) {
                row[c] += bias[c];
            }
        }
        switch (this) {
            case IDENTITY -> {
            }
            case RELU -> {
                for (int c = 0; c < width; c++) {
                    row[c] = Math.max(row[c], 0f);
                }
            }
            case TANH -> {
                for (int c = 0; c < width; c++) {
                    row[c] = (float) StrictMath.tanh(row[c]);
                }
            }
            case SIGMOID -> {
                for (int c = 0; c < width; c++) {
                    row[c] = (float) (1 / (1 + StrictMath.exp(-(double) row[c])));
                }
            }
        }
    }

    /**
     * Backpropagation through the activation, in place: {@code delta[i] = delta[i] · f'(z)} for
     * i < length, f'(z) from the output {@code y[i] = f(z)}.
     */
    void backward(float[] y, float[] delta, int length) {
        switch (this) {
            case IDENTITY -> {
            }
            case RELU -> {
                // y >= 0, so min(y, MIN_VALUE) is 0 or MIN_VALUE exactly, times 2^149 the step 0 or 1: a
                // multiplication the JIT vectorises, where 'y > 0 ? delta : 0' is a branch per value
                for (int i = 0; i < length; i++) {
                    delta[i] *= Math.min(y[i], Float.MIN_VALUE) * TWO_POW_100 * TWO_POW_49;
                }
            }
            case TANH -> {
                for (int i = 0; i < length; i++) {
                    delta[i] *= 1f - y[i] * y[i];
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < length; i++) {
                    delta[i] *= y[i] * (1f - y[i]);
                }
            }
        }
    }
}
