package dev.streamtrain.engine.blas;

import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.Shape;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code nn.MaxPool2d(k, s)} on [n, C, H, W]: each output value the maximum of its k×k window,
 * ties to the first maximum in row-major window order and a NaN winning (the last one), as torch's
 * CPU kernel decides ({@code val > max || isnan(val)}). Forward remembers each winner's
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
            if (kernel == 2) {
                forward2x2(i * row.length);
            } else {
                forwardAny(i * row.length);
            }
            out.put(i * row.length, row);
        }
    }

    /** One sample, {@link #image} to {@link #row}, its winners into {@code winners} from {@code base} on. */
    private void forwardAny(int base) {
        int o = 0;
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++, o++) {
                    int winner = winner((c * height + oy * stride) * width + ox * stride);
                    row[o] = image[winner];
                    winners[base + o] = winner;
                }
            }
        }
    }

    /** The winner of the window at {@code start} in {@link #image}, by torch's rule as it states it. */
    private int winner(int start) {
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
        return winner;
    }

    /**
     * {@link #forwardAny} for 2×2 windows (lenet5's), several times faster: which value of a window
     * wins is a coin toss, so any branch on it mispredicts half the time (and the JIT compiles float
     * comparisons to branches). Here the winner is arithmetic: the values as ints that order as the
     * floats do ({@link #key}), compared by the sign of their difference in long, then three
     * pairwise picks (b over a only if greater, e over d likewise, the lower row over the upper
     * likewise: the first maximum). A window whose sum is NaN (a NaN, or infinities of both signs)
     * takes torch's rule as stated.
     */
    private void forward2x2(int base) {
        float[] image = this.image;
        float[] row = this.row;
        int[] winners = this.winners;
        int width = this.width;
        int o = 0;
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < outHeight; oy++) {
                int rowStart = (c * height + oy * stride) * width;
                for (int ox = 0; ox < outWidth; ox++, o++) {
                    int start = rowStart + ox * stride;
                    float a = image[start];
                    float b = image[start + 1];
                    float d = image[start + width];
                    float e = image[start + width + 1];
                    int winner;
                    if (Float.isNaN(a + b + d + e)) {
                        winner = winner(start);
                    } else {
                        int top = pick(start, start + 1, key(a), key(b));
                        int bottom = pick(start + width, start + width + 1, key(d), key(e));
                        winner = pick(top, bottom, key(image[top]), key(image[bottom]));
                    }
                    row[o] = image[winner];
                    winners[base + o] = winner;
                }
            }
        }
    }

    /** {@code second} if its key is greater, else {@code first}; no branch. */
    private static int pick(int first, int second, int firstKey, int secondKey) {
        int secondWins = (int) (((long) firstKey - secondKey) >>> 63);
        return first + ((second - first) & -secondWins);
    }

    /** Sign and magnitude to two's complement: ints that order as the floats do, -0.0 and 0.0 alike (not NaNs). */
    private static int key(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = bits >> 31;
        return ((bits & 0x7FFFFFFF) ^ sign) - sign;
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
