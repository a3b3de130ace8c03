package dev.streamtrain.engine.blas;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Linear layer and the activation right after it: {@code y = f(x W + b)}, W [in, out] row-major as
 * the layout stores it. Forward is one gemm straight into the output buffer and one pass over it
 * adding the bias and applying f. Backward: one pass applying the activation's derivative in place
 * and summing the columns into {@code db}, then {@code dW = xᵀ · dz} (a gemm into the weight's place
 * in the gradient buffer) and {@code dx = dz · Wᵀ} only where something before needs it; or, with
 * plain SGD, W and b updated in place instead of dW and db ({@link #backwardWithSgd}).
 */
final class Dense implements Stage {

    private final int inWidth;
    private final int outWidth;
    private final Activation activation;
    private final FloatBuffer weight;
    private final FloatBuffer bias;
    private final FloatBuffer weightGradient;
    private final FloatBuffer biasGradient;
    /** Heap rows the elementwise work runs on: one row of values, of their gradients, the bias, its gradient. */
    private final float[] row;
    private final float[] gradientRow;
    private final float[] biasRow;
    private final float[] biasGradientRow;

    /** W and b are views of the parameter buffer, dW and db the same places in the gradient buffer. */
    Dense(int inWidth, int outWidth, Activation activation, FloatBuffer weight, FloatBuffer bias,
          FloatBuffer weightGradient, FloatBuffer biasGradient) {
        this.inWidth = inWidth;
        this.outWidth = outWidth;
        this.activation = activation;
        this.weight = weight;
        this.bias = bias;
        this.weightGradient = weightGradient;
        this.biasGradient = biasGradient;
        this.row = new float[outWidth];
        this.gradientRow = new float[outWidth];
        this.biasRow = new float[outWidth];
        this.biasGradientRow = new float[outWidth];
    }

    @Override
    public int outWidth() {
        return outWidth;
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    @Override
    public void forward(FloatBuffer in, FloatBuffer out, int n, boolean training, SplittableRandom random) {
        Blas.gemm(in, false, weight, false, out, n, outWidth, inWidth);
        bias.get(0, biasRow);
        for (int r = 0; r < n; r++) {
            out.get(r * outWidth, row);
            activation.forward(row, biasRow, outWidth);
            out.put(r * outWidth, row);
        }
    }

    @Override
    public void backward(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n) {
        backpropagate(out, outGradient, inGradient, n);
        biasGradient.put(0, biasGradientRow);
        Blas.gemm(in, true, outGradient, false, weightGradient, inWidth, outWidth, n);
    }

    @Override
    public boolean fusesSgd() {
        return true;
    }

    /**
     * The bias as {@link dev.streamtrain.model.optim.Sgd} updates it, {@code b - rate * db}; the
     * weight by the gemm that would compute dW, {@code W = W - rate * (xᵀ · dz)} (alpha {@code -rate},
     * beta 1): one pass over W instead of writing dW, reading it back and rewriting W. OpenBLAS
     * rounds {@code rate * sum} into W with a fused multiply-add, so W can differ from the unfused
     * update in the last bit.
     */
    @Override
    public void backwardWithSgd(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient,
                                int n, float rate) {
        backpropagate(out, outGradient, inGradient, n);
        bias.get(0, biasRow);
        for (int c = 0; c < outWidth; c++) {
            biasRow[c] = biasRow[c] - rate * biasGradientRow[c];
        }
        bias.put(0, biasRow);
        Blas.gemm(in, true, outGradient, false, weight, inWidth, outWidth, n, -rate, 1f);
    }

    /**
     * What both backward passes do before touching W and b: dz = dy * f'(z) into {@code outGradient}
     * row by row, its column sums (db) into {@link #biasGradientRow}, and {@code dx = dz · Wᵀ} where
     * something before needs it (with W as the forward pass used it).
     */
    private void backpropagate(FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n) {
        Arrays.fill(biasGradientRow, 0f);
        for (int r = 0; r < n; r++) {
            out.get(r * outWidth, row);
            outGradient.get(r * outWidth, gradientRow);
            activation.backward(row, gradientRow, outWidth);
            for (int c = 0; c < outWidth; c++) {
                biasGradientRow[c] += gradientRow[c];
            }
            outGradient.put(r * outWidth, gradientRow);
        }
        if (inGradient != null) {
            Blas.gemm(outGradient, false, weight, true, inGradient, n, inWidth, outWidth);
        }
    }
}
