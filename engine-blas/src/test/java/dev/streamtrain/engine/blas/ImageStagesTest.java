package dev.streamtrain.engine.blas;

import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Convolution} and {@link MaxPooling} stages against the definitions, computed naively
 * in double on small random inputs: outputs, parameter gradients and input gradients, for
 * strides, paddings, several channels, non-square images, and a batch smaller than the one
 * before (the stages' buffers are laid out per batch size).
 */
class ImageStagesTest {

    /** Largest difference allowed, relative to the largest expected magnitude: float32 sums of <= 50 terms. */
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "Conv2d({0}, {1}, k={2}, s={3}, p={4}) on {0}x{5}x{6}, {7}")
    @CsvSource({
            "1, 2, 3, 1, 0, 5, 5, IDENTITY",
            "3, 4, 3, 2, 1, 7, 6, TANH",
            "2, 3, 5, 3, 2, 8, 9, RELU",
            "2, 2, 1, 1, 0, 4, 3, SIGMOID",
            "1, 1, 4, 2, 3, 5, 5, IDENTITY",
            "4, 3, 2, 2, 0, 6, 7, TANH",
            "2, 3, 5, 1, 2, 8, 9, RELU",
            "3, 2, 3, 1, 1, 6, 7, TANH",
            "1, 2, 2, 1, 1, 5, 4, IDENTITY",
    })
    void convolutionIsTheDefinition(int channels, int outChannels, int kernel, int stride, int padding, int height,
                                    int width, Activation activation) {
        Conv2d conv = new Conv2d(channels, outChannels, kernel, stride, padding);
        Shape input = Shape.of(channels, height, width);
        Shape output = conv.outputShape(input);
        SplittableRandom random = new SplittableRandom(channels * 31L + kernel * 7L + stride);
        int weights = outChannels * channels * kernel * kernel;
        FloatBuffer weight = randomBuffer(weights, random);
        FloatBuffer bias = randomBuffer(outChannels, random);
        FloatBuffer weightGradient = Blas.allocate(weights);
        FloatBuffer biasGradient = Blas.allocate(outChannels);
        Convolution stage = new Convolution(conv, input, activation, weight, bias, weightGradient, biasGradient);
        assertThat(stage.outWidth()).isEqualTo(output.size());
        check(stage, conv, input, output, activation, weight, bias, weightGradient, biasGradient, random);
    }

    private static void check(Convolution stage, Conv2d conv, Shape input, Shape output, Activation activation,
                              FloatBuffer weight, FloatBuffer bias, FloatBuffer weightGradient,
                              FloatBuffer biasGradient, SplittableRandom random) {
        int channels = input.dim(0);
        int outChannels = output.dim(0);
        int weights = weight.capacity();
        for (int n : new int[] {3, 2}) {
            FloatBuffer x = randomBuffer(n * input.size(), random);
            FloatBuffer y = Blas.allocate(n * output.size());
            FloatBuffer dy = randomBuffer(n * output.size(), random);
            double[] upstream = toDouble(dy, n * output.size());
            FloatBuffer dx = Blas.allocate(n * input.size());
            stage.forward(x, y, n, true, null);
            stage.backward(x, y, dy, dx, n);

            NaiveConvolution naive = new NaiveConvolution(channels, input.dim(1), input.dim(2), outChannels,
                    conv.kernelSize(), conv.stride(), conv.padding(), output.dim(1), output.dim(2), activation);
            double[] expected = naive.forward(toDouble(x, n * input.size()), toDouble(weight, weights),
                    toDouble(bias, outChannels), n);
            assertClose("output, batch " + n, y, expected);
            naive.backward(upstream, n);
            assertClose("dW, batch " + n, weightGradient, naive.weightGradient);
            assertClose("db, batch " + n, biasGradient, naive.biasGradient);
            assertClose("dx, batch " + n, dx, naive.inputGradient);
        }
    }

    @ParameterizedTest(name = "MaxPool2d(k={0}, s={1}) on {2}x{3}x{4}")
    @CsvSource({
            "2, 2, 2, 6, 6",
            "3, 2, 3, 7, 8",
            "2, 1, 1, 5, 4",
            "3, 3, 2, 10, 9",
    })
    void maxPoolingIsTheDefinitionWithTorchsTieRule(int kernel, int stride, int channels, int height, int width) {
        MaxPool2d pool = new MaxPool2d(kernel, stride);
        Shape input = Shape.of(channels, height, width);
        Shape output = pool.outputShape(input);
        MaxPooling stage = new MaxPooling(pool, input);
        assertThat(stage.outWidth()).isEqualTo(output.size());
        SplittableRandom random = new SplittableRandom(kernel * 13L + stride);
        for (int n : new int[] {3, 2}) {
            // three levels only: most windows hold ties, and the first maximum in row-major order must win
            FloatBuffer x = Blas.allocate(n * input.size());
            for (int i = 0; i < n * input.size(); i++) {
                x.put(i, random.nextInt(3) - 1f);
            }
            FloatBuffer y = Blas.allocate(n * output.size());
            FloatBuffer dy = randomBuffer(n * output.size(), random);
            FloatBuffer dx = Blas.allocate(n * input.size());
            stage.forward(x, y, n, true, null);
            stage.backward(x, y, dy, dx, n);

            double[] expected = new double[n * output.size()];
            double[] expectedGradient = new double[n * input.size()];
            int at = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    for (int oy = 0; oy < output.dim(1); oy++) {
                        for (int ox = 0; ox < output.dim(2); ox++, at++) {
                            int winner = -1;
                            for (int ky = 0; ky < kernel; ky++) {
                                for (int kx = 0; kx < kernel; kx++) {
                                    int pixel = ((i * channels + c) * height + oy * stride + ky) * width
                                            + ox * stride + kx;
                                    if (winner < 0 || x.get(pixel) > x.get(winner)) {
                                        winner = pixel;
                                    }
                                }
                            }
                            expected[at] = x.get(winner);
                            expectedGradient[winner] += dy.get(at);
                        }
                    }
                }
            }
            assertClose("output, batch " + n, y, expected);
            assertClose("dx, batch " + n, dx, expectedGradient);
        }
    }

    /** Torch's {@code val > max || isnan(val)}: the last NaN wins; -0.0 and 0.0 tie, so the first wins. */
    @Test
    void nanAndSignedZerosAsTorchDecides() {
        MaxPooling stage = new MaxPooling(new MaxPool2d(2, 2), Shape.of(1, 2, 6));
        FloatBuffer x = FloatBuffer.wrap(new float[] {
                1, Float.NaN, 5, 6, -0f, 0f,
                Float.NaN, 3, 7, 8, -1, -2});
        FloatBuffer y = FloatBuffer.allocate(3);
        stage.forward(x, y, 1, true, null);
        assertThat(y.get(0)).isNaN();
        assertThat(y.get(1)).isEqualTo(8f);
        assertThat(Float.floatToRawIntBits(y.get(2))).isEqualTo(Float.floatToRawIntBits(-0f));
        FloatBuffer dx = FloatBuffer.allocate(12);
        stage.backward(x, y, FloatBuffer.wrap(new float[] {1, 2, 3}), dx, 1);
        assertThat(dx.array()).containsExactly(0, 0, 0, 0, 3, 0, 1, 0, 0, 2, 0, 0);
    }

    /** Conv2d and its activation by the definitions, in double: one loop per index of the sums. */
    private static final class NaiveConvolution {

        private final int channels;
        private final int height;
        private final int width;
        private final int outChannels;
        private final int kernel;
        private final int stride;
        private final int padding;
        private final int outHeight;
        private final int outWidth;
        private final Activation activation;
        private double[] x;
        private double[] w;
        private double[] y;
        double[] weightGradient;
        double[] biasGradient;
        double[] inputGradient;

        NaiveConvolution(int channels, int height, int width, int outChannels, int kernel, int stride, int padding,
                         int outHeight, int outWidth, Activation activation) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.outChannels = outChannels;
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
            this.outHeight = outHeight;
            this.outWidth = outWidth;
            this.activation = activation;
        }

        double[] forward(double[] x, double[] w, double[] b, int n) {
            this.x = x;
            this.w = w;
            this.y = new double[n * outChannels * outHeight * outWidth];
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < outChannels; o++) {
                    for (int oy = 0; oy < outHeight; oy++) {
                        for (int ox = 0; ox < outWidth; ox++) {
                            double z = b[o];
                            for (int c = 0; c < channels; c++) {
                                for (int ky = 0; ky < kernel; ky++) {
                                    for (int kx = 0; kx < kernel; kx++) {
                                        z += w[weightIndex(o, c, ky, kx)] * pixel(i, c, oy, ox, ky, kx);
                                    }
                                }
                            }
                            y[outIndex(i, o, oy, ox)] = switch (activation) {
                                case IDENTITY -> z;
                                case RELU -> Math.max(z, 0);
                                case TANH -> Math.tanh(z);
                                case SIGMOID -> 1 / (1 + Math.exp(-z));
                            };
                        }
                    }
                }
            }
            return y;
        }

        void backward(double[] upstream, int n) {
            weightGradient = new double[w.length];
            biasGradient = new double[outChannels];
            inputGradient = new double[x.length];
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < outChannels; o++) {
                    for (int oy = 0; oy < outHeight; oy++) {
                        for (int ox = 0; ox < outWidth; ox++) {
                            int at = outIndex(i, o, oy, ox);
                            double dz = upstream[at] * switch (activation) {
                                case IDENTITY -> 1;
                                case RELU -> y[at] > 0 ? 1 : 0;
                                case TANH -> 1 - y[at] * y[at];
                                case SIGMOID -> y[at] * (1 - y[at]);
                            };
                            biasGradient[o] += dz;
                            for (int c = 0; c < channels; c++) {
                                for (int ky = 0; ky < kernel; ky++) {
                                    for (int kx = 0; kx < kernel; kx++) {
                                        weightGradient[weightIndex(o, c, ky, kx)] += dz * pixel(i, c, oy, ox, ky, kx);
                                        int iy = oy * stride + ky - padding;
                                        int ix = ox * stride + kx - padding;
                                        if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                                            inputGradient[((i * channels + c) * height + iy) * width + ix] +=
                                                    dz * w[weightIndex(o, c, ky, kx)];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        private double pixel(int i, int c, int oy, int ox, int ky, int kx) {
            int iy = oy * stride + ky - padding;
            int ix = ox * stride + kx - padding;
            return iy < 0 || iy >= height || ix < 0 || ix >= width ? 0
                    : x[((i * channels + c) * height + iy) * width + ix];
        }

        private int weightIndex(int o, int c, int ky, int kx) {
            return ((o * channels + c) * kernel + ky) * kernel + kx;
        }

        private int outIndex(int i, int o, int oy, int ox) {
            return ((i * outChannels + o) * outHeight + oy) * outWidth + ox;
        }
    }

    private static FloatBuffer randomBuffer(int size, SplittableRandom random) {
        FloatBuffer buffer = Blas.allocate(size);
        for (int i = 0; i < size; i++) {
            buffer.put(i, (float) random.nextDouble(-1, 1));
        }
        return buffer;
    }

    private static double[] toDouble(FloatBuffer buffer, int size) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = buffer.get(i);
        }
        return out;
    }

    private static void assertClose(String what, FloatBuffer actual, double[] expected) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(scale).as(what + ": something to compare").isGreaterThan(0);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual.get(i) - expected[i])).as(what + " [" + i + "]: " + actual.get(i) + " vs "
                    + expected[i]).isLessThanOrEqualTo(TOLERANCE * scale);
        }
    }
}
