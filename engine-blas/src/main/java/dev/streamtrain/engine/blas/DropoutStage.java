package dev.streamtrain.engine.blas;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * {@code nn.Dropout(p)}, p > 0: in training mode each value is kept with probability 1 - p and scaled
 * by 1/(1 - p) (torch's inverted dropout), the mask drawn value by value, row-major, from the
 * step's generator ({@code nextDouble() < p} drops); in eval mode the input passes through. The
 * mask (0 or the scale) is kept for backpropagation, in an array grown to the largest batch.
 */
final class DropoutStage implements Stage {

    private final int width;
    private final double p;
    private final float scale;
    private final float[] row;
    private float[] mask = new float[0];

    DropoutStage(int width, double p) {
        this.width = width;
        this.p = p;
        this.scale = (float) (1 / (1 - p));
        this.row = new float[width];
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
        if (!training) {
            out.put(0, in, 0, n * width);
            return;
        }
        if (mask.length < n * width) {
            mask = new float[n * width];
        }
        for (int r = 0; r < n; r++) {
            in.get(r * width, row);
            for (int c = 0; c < width; c++) {
                float keep = random.nextDouble() < p ? 0f : scale;
                mask[r * width + c] = keep;
                row[c] *= keep;
            }
            out.put(r * width, row);
        }
    }

    @Override
    public void backward(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n) {
        if (inGradient == null) {
            return;
        }
        for (int r = 0; r < n; r++) {
            outGradient.get(r * width, row);
            for (int c = 0; c < width; c++) {
                row[c] *= mask[r * width + c];
            }
            inGradient.put(r * width, row);
        }
    }
}
