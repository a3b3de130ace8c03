package dev.streamtrain.engine.blas;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** An activation that does not follow a Linear layer (e.g. one on the input): {@code y = f(x)}. */
final class Pointwise implements Stage {

    private final int width;
    private final Activation activation;
    private final float[] row;
    private final float[] gradientRow;

    Pointwise(int width, Activation activation) {
        this.width = width;
        this.activation = activation;
        this.row = new float[width];
        this.gradientRow = new float[width];
    }

    @Override
    public int outWidth() {
        return width;
    }

    @Override
    public boolean hasParameters() {
        return false;
    }

    @Override
    public void forward(FloatBuffer in, FloatBuffer out, int n, boolean training, SplittableRandom random) {
        for (int r = 0; r < n; r++) {
            in.get(r * width, row);
            activation.forward(row, null, width);
            out.put(r * width, row);
        }
    }

    @Override
    public void backward(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n) {
        if (inGradient == null) {
            return;
        }
        for (int r = 0; r < n; r++) {
            out.get(r * width, row);
            outGradient.get(r * width, gradientRow);
            activation.backward(row, gradientRow, width);
            inGradient.put(r * width, gradientRow);
        }
    }
}
