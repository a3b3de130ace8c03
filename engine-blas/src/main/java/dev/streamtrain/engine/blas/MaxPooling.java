package dev.streamtrain.engine.blas;

import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.Shape;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code nn.MaxPool2d(k, s)} on [n, C, H, W]: each output value the maximum of its k×k window,
 * ties to the first maximum in row-major window order and a NaN winning, as torch's CPU kernel
 * decides ({@code val > max || isnan(val)}). Training-mode forward remembers each winner's
 * position in the sample (an array grown to the largest batch); backward adds each output's
 * gradient to its winner's pixel, nothing to the others (overlapping windows add up).
 */
final class MaxPooling implements Stage {

    private final int channels;
    private final int height;
    private final int width;
    private final int kernel;
    private final int stride;
    private final int outHeight;
    private final int outWidth;
    /** One sample on the heap: its image [C·H·W] (or that image's gradient) and its output [C·OH·OW]. */
    private final float[] image;
    private final float[] row;
    /** Per output value of the last training batch, [n, C·OH·OW]: its winner's index in the sample's image. */
    private int[] winners = new int[0];

    MaxPooling(MaxPool2d pool, Shape input) {
        Shape output = pool.outputShape(input);
        this.channels = input.dim(0);
        this.height = input.dim(1);
        this.width = input.dim(2);
        this.kernel = pool.kernelSize();
        this.stride = pool.stride();
        this.outHeight = output.dim(1);
        this.outWidth = output.dim(2);
        this.image = new float[channels * height * width];
        this.row = new float[output.size()];
    }

    @Override
    public int outWidth() {
        return row.length;
    }

    @Override
    public boolean hasParameters() {
        return false;
    }

    @Override
    public void forward(FloatBuffer in, FloatBuffer out, int n, boolean training, SplittableRandom random) {
        if (winners.length < n * row.length) {
            winners = new int[n * row.length];
        }
        for (int i = 0; i < n; i++) {
            in.get(i * image.length, image);
            int at = i * row.length;
            for (int c = 0; c < channels; c++) {
                for (int oy = 0; oy < outHeight; oy++) {
                    for (int ox = 0; ox < outWidth; ox++, at++) {
                        int start = (c * height + oy * stride) * width + ox * stride;
                        float max = Float.NEGATIVE_INFINITY;
                        int winner = start;
                        for (int ky = 0; ky < kernel; ky++) {
                            for (int kx = 0; kx < kernel; kx++) {
                                int pixel = start + ky * width + kx;
                                float value = image[pixel];
                                if (value > max || Float.isNaN(value)) {
                                    max = value;
                                    winner = pixel;
                                }
                            }
                        }
                        row[at - i * row.length] = max;
                        winners[at] = winner;
                    }
                }
            }
            out.put(i * row.length, row);
        }
    }

    @Override
    public void backward(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n) {
        if (inGradient == null) {
            return;
        }
        for (int i = 0; i < n; i++) {
            outGradient.get(i * row.length, row);
            Arrays.fill(image, 0f);
            int at = i * row.length;
            for (int j = 0; j < row.length; j++) {
                image[winners[at + j]] += row[j];
            }
            inGradient.put(i * image.length, image);
        }
    }
}
