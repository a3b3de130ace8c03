package dev.streamtrain.engine.blas;

import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Shape;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Conv2d layer and the activation right after it, {@code y = f(conv(x, W) + b)}, as im2col and
 * one gemm for the whole batch. The input [n, C, H, W] becomes the columns [K, n·P] (K = C·k·k
 * taps, P = OH·OW output positions, sample after sample), so that W [O, K] (torch's [O, C, k, k],
 * row-major) times the columns is the batch's pre-activations [O, n·P]; one pass moves them to the
 * output's NCHW order [n, O·P], adding the bias and applying f on the way. Backward: one pass
 * applies f' and moves the gradient back to [O, n·P], summing {@code db}; then
 * {@code dW = dz · colsᵀ} (one gemm), and where something before needs it {@code dcols = Wᵀ · dz}
 * (into the columns' buffer, no longer needed) added back onto the input's pixels (col2im).
 * The columns and the [O, n·P] buffer are native, allocated for the largest batch so far.
 */
final class Convolution implements Stage {

    /** How many floats of columns a group of samples may take on the heap: 256 KiB, a quarter of a Zen or Skylake L2. */
    private static final int GROUP_FLOATS = 64 * 1024;

    private final int channels;
    private final int height;
    private final int width;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outChannels;
    private final int outHeight;
    private final int outWidth;
    /** Taps per output value, C·k·k: the columns' rows. */
    private final int taps;
    /** Output positions per channel, OH·OW. */
    private final int positions;
    private final Activation activation;
    private final FloatBuffer weight;
    private final FloatBuffer bias;
    private final FloatBuffer weightGradient;
    private final FloatBuffer biasGradient;
    /** Samples whose columns are built on the heap together: [K, group·P] of them fits in L2. */
    private final int group;
    /** One sample's image [C·H·W] on the heap; a group of samples' columns [K, group·P]; one sample's output [O·P] and its gradient. */
    private final float[] image;
    private final float[] groupColumns;
    private final float[] row;
    private final float[] gradientRow;
    /** The bias per output value of one sample, b[o] repeated P times. */
    private final float[] biasRow;
    private final float[] biasGradientRow;
    /** Native, for the largest batch so far: the columns [K, n·P], and [O, n·P] (pre-activations, then their gradient). */
    private FloatBuffer columns;
    private FloatBuffer product;
    private int rows;

    /** W and b are views of the parameter buffer, dW and db the same places in the gradient buffer. */
    Convolution(Conv2d conv, Shape input, Activation activation, FloatBuffer weight, FloatBuffer bias,
                FloatBuffer weightGradient, FloatBuffer biasGradient) {
        this(conv, input, activation, weight, bias, weightGradient, biasGradient, GROUP_FLOATS);
    }

    /** With groups of samples whose columns take at most {@code groupFloats} (at least one sample): tests use small groups. */
    Convolution(Conv2d conv, Shape input, Activation activation, FloatBuffer weight, FloatBuffer bias,
                FloatBuffer weightGradient, FloatBuffer biasGradient, int groupFloats) {
        Shape output = conv.outputShape(input);
        this.channels = input.dim(0);
        this.height = input.dim(1);
        this.width = input.dim(2);
        this.kernel = conv.kernelSize();
        this.stride = conv.stride();
        this.padding = conv.padding();
        this.outChannels = output.dim(0);
        this.outHeight = output.dim(1);
        this.outWidth = output.dim(2);
        this.taps = channels * kernel * kernel;
        this.positions = outHeight * outWidth;
        this.activation = activation;
        this.weight = weight;
        this.bias = bias;
        this.weightGradient = weightGradient;
        this.biasGradient = biasGradient;
        this.image = new float[channels * height * width];
        this.group = Math.max(1, groupFloats / (taps * positions));
        this.groupColumns = new float[group * taps * positions];
        this.row = new float[outChannels * positions];
        this.gradientRow = new float[outChannels * positions];
        this.biasRow = new float[outChannels * positions];
        this.biasGradientRow = new float[outChannels];
    }

    @Override
    public int outWidth() {
        return outChannels * positions;
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    private void ensure(int n) {
        if (n > rows) {
            columns = Blas.allocate(n * taps * positions);
            product = Blas.allocate(n * outChannels * positions);
            rows = n;
        }
    }

    @Override
    public void forward(FloatBuffer in, FloatBuffer out, int n, boolean training, SplittableRandom random) {
        ensure(n);
        int stretch = n * positions;
        for (int first = 0; first < n; first += group) {
            int count = Math.min(group, n - first);
            for (int j = 0; j < count; j++) {
                in.get((first + j) * image.length, image);
                im2col(j * positions, count * positions);
            }
            for (int k = 0; k < taps; k++) {
                columns.put(k * stretch + first * positions, groupColumns, k * count * positions, count * positions);
            }
        }
        Blas.gemm(weight, false, columns, false, product, outChannels, stretch, taps);
        for (int o = 0; o < outChannels; o++) {
            Arrays.fill(biasRow, o * positions, (o + 1) * positions, bias.get(o));
        }
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < outChannels; o++) {
                product.get(o * stretch + i * positions, row, o * positions, positions);
            }
            activation.forward(row, biasRow, row.length);
            out.put(i * row.length, row);
        }
    }

    /**
     * {@link #image}'s columns into {@link #groupColumns} [K, rowLength], from column {@code at} on:
     * row (c, ky, kx), column (oy, ox), zero where the tap falls on the padding.
     */
    private void im2col(int at, int rowLength) {
        float[] image = this.image;
        float[] columns = this.groupColumns;
        int k = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, k++) {
                    int first = firstInside(kx);
                    int end = endInside(kx);
                    for (int oy = 0; oy < outHeight; oy++) {
                        int to = k * rowLength + at + oy * outWidth;
                        int iy = oy * stride + ky - padding;
                        if (iy < 0 || iy >= height || first >= end) {
                            Arrays.fill(columns, to, to + outWidth, 0f);
                            continue;
                        }
                        int from = (c * height + iy) * width + kx - padding;
                        // loops, not System.arraycopy: the runs are short (OW), a call's overhead would dominate
                        for (int ox = 0; ox < first; ox++) {
                            columns[to + ox] = 0f;
                        }
                        if (stride == 1) {
                            for (int ox = first; ox < end; ox++) {
                                columns[to + ox] = image[from + ox];
                            }
                        } else {
                            for (int ox = first; ox < end; ox++) {
                                columns[to + ox] = image[from + ox * stride];
                            }
                        }
                        for (int ox = end; ox < outWidth; ox++) {
                            columns[to + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** The first output column whose tap at kernel offset {@code kx} lies inside the image ({@code ox·s + kx - p >= 0}). */
    private int firstInside(int kx) {
        int before = padding - kx;
        return before <= 0 ? 0 : Math.min(outWidth, (before + stride - 1) / stride);
    }

    /** One past the last output column whose tap at {@code kx} lies inside the image ({@code ox·s + kx - p < W}). */
    private int endInside(int kx) {
        int room = width - 1 - kx + padding;
        return room < 0 ? 0 : Math.min(outWidth, room / stride + 1);
    }

    @Override
    public void backward(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n) {
        int stretch = n * positions;
        Arrays.fill(biasGradientRow, 0f);
        for (int i = 0; i < n; i++) {
            out.get(i * row.length, row);
            outGradient.get(i * row.length, gradientRow);
            activation.backward(row, gradientRow, row.length);
            for (int o = 0; o < outChannels; o++) {
                float sum = 0f;
                for (int p = o * positions; p < (o + 1) * positions; p++) {
                    sum += gradientRow[p];
                }
                biasGradientRow[o] += sum;
                product.put(o * stretch + i * positions, gradientRow, o * positions, positions);
            }
        }
        biasGradient.put(0, biasGradientRow);
        Blas.gemm(product, false, columns, true, weightGradient, outChannels, taps, stretch);
        if (inGradient != null) {
            Blas.gemm(weight, true, product, false, columns, taps, stretch, outChannels);
            for (int first = 0; first < n; first += group) {
                int count = Math.min(group, n - first);
                for (int k = 0; k < taps; k++) {
                    columns.get(k * stretch + first * positions, groupColumns, k * count * positions,
                            count * positions);
                }
                for (int j = 0; j < count; j++) {
                    col2im(j * positions, count * positions);
                    inGradient.put((first + j) * image.length, image);
                }
            }
        }
    }

    /**
     * The gradients of one sample's columns, in {@link #groupColumns} [K, rowLength] from column
     * {@code at} on, summed onto their pixels in {@link #image}, in im2col's order.
     */
    private void col2im(int at, int rowLength) {
        float[] image = this.image;
        float[] columns = this.groupColumns;
        Arrays.fill(image, 0f);
        int k = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, k++) {
                    int first = firstInside(kx);
                    int end = endInside(kx);
                    for (int oy = 0; oy < outHeight; oy++) {
                        int iy = oy * stride + ky - padding;
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        int from = k * rowLength + at + oy * outWidth;
                        int to = (c * height + iy) * width + kx - padding;
                        if (stride == 1) {
                            for (int ox = first; ox < end; ox++) {
                                image[to + ox] += columns[from + ox];
                            }
                        } else {
                            for (int ox = first; ox < end; ox++) {
                                image[to + ox * stride] += columns[from + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
