package dev.streamtrain.contracts.transform;

import dev.streamtrain.model.layer.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code Normalize} computes what torchvision's {@code Normalize(mean, std)} computes on the CPU after
 * {@code ToTensor()}: {@code (x - mean[c]) / std[c]} with mean and std as float32, one float32 rounding after
 * the subtraction and one after the division. The expected bits were computed with numpy float32, whose
 * element-wise subtraction and division round as torch's CPU kernels do: {@code (np.float32(p) / np.float32(255)
 * - np.float32(m)) / np.float32(s)}.
 */
class NormalizeTest {

    private static float[] toTensor(int... pixels) {
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] / 255f;
        }
        return values;
    }

    private static float bits(int bits) {
        return Float.intBitsToFloat(bits);
    }

    @Test
    void mnistStatisticsInFloat32AsTorchComputesThem() {
        float[] x = toTensor(0, 255, 51, 1);
        new Normalize(new double[] {0.1307}, new double[] {0.3081}).apply(x, Shape.of(1, 2, 2));
        assertThat(x).containsExactly(bits(0xbed93271), bits(0x4034933d), bits(0x3e665341), bits(0xbed2ae20));
        // not what the same formula gives in double, rounded once at the end
        assertThat(x[0]).isNotEqualTo((float) ((0 - 0.1307) / 0.3081));
    }

    @Test
    void halfAndHalfMapsZeroToOneOntoMinusOneToOne() {
        float[] x = toTensor(0, 255, 51, 1, 128);
        new Normalize(new double[] {0.5}, new double[] {0.5}).apply(x, Shape.of(5));
        assertThat(x).containsExactly(-1f, 1f, bits(0xbf19999a), bits(0xbf7dfdfe), bits(0x3b808100));
    }

    @Test
    void eachChannelHasItsOwnMeanAndStd() {
        // one CIFAR-10 sample of [3, 1, 2]: channel c is values 2c and 2c + 1
        float[] x = toTensor(0, 255, 51, 128, 1, 200);
        new Normalize(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616})
                .apply(x, Shape.of(3, 1, 2));
        assertThat(x).containsExactly(bits(0xbffea713), bits(0x4003c873), bits(0xbf9457e4), bits(0x3da633ae),
                bits(0xbfd88d5a), bits(0x3fa54a88));
    }

    @Test
    void appliesToEverySampleOfABatch() {
        float[] x = toTensor(0, 255, 51, 128, 1, 200, 0, 255, 51, 128, 1, 200);
        new Normalize(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616})
                .apply(x, Shape.of(3, 1, 2));
        for (int i = 0; i < 6; i++) {
            assertThat(Float.floatToRawIntBits(x[6 + i])).as("value %d", i).isEqualTo(Float.floatToRawIntBits(x[i]));
        }
    }

    @Test
    void oneValueBroadcastsToEveryChannel() {
        float[] x = toTensor(0, 51, 255);
        new Normalize(new double[] {0.5}, new double[] {0.5}).apply(x, Shape.of(3, 1, 1));
        assertThat(x).containsExactly(-1f, bits(0xbf19999a), 1f);
    }

    @Test
    void rejectsAChannelCountTheSamplesDoNotHave() {
        Normalize two = new Normalize(new double[] {0.5, 0.5}, new double[] {0.5, 0.5});
        assertThatIllegalArgumentException().isThrownBy(() -> two.apply(new float[12], Shape.of(3, 2, 2)))
                .withMessage("Normalize(mean=[0.5, 0.5], std=[0.5, 0.5]) has 2 channels, samples of shape [3, 2, 2]"
                        + " have 3 (give one value, or one per channel)");
        Normalize three = new Normalize(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616});
        assertThatIllegalArgumentException().isThrownBy(() -> three.requireFits(Shape.of(1, 28, 28)))
                .withMessage("Normalize(mean=[0.4914, 0.4822, 0.4465], std=[0.247, 0.2435, 0.2616]) has 3 channels,"
                        + " samples of shape [1, 28, 28] have 1 (give one value, or one per channel)");
        three.requireFits(Shape.of(3, 32, 32));
        new Normalize(new double[] {0.5}, new double[] {0.5}).requireFits(Shape.of(3, 32, 32));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsAStdThatIsNotFiniteAndPositive(double std) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Normalize(new double[] {0.5, 0.5},
                        new double[] {0.5, std}))
                .withMessage("Normalize needs finite means and finite stds > 0; got mean [0.5, 0.5], std [0.5, "
                        + std + "]");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.NEGATIVE_INFINITY})
    void rejectsAMeanThatIsNotFinite(double mean) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Normalize(new double[] {mean},
                new double[] {1})).withMessageStartingWith("Normalize needs finite means and finite stds > 0");
    }

    @Test
    void needsAsManyMeansAsStds() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Normalize(new double[] {0.5, 0.5},
                new double[] {0.5})).withMessage("Normalize needs as many means as stds, at least one each; got mean"
                + " [0.5, 0.5], std [0.5]");
        assertThatIllegalArgumentException().isThrownBy(() -> new Normalize(new double[0], new double[0]))
                .withMessage("Normalize needs as many means as stds, at least one each; got mean [], std []");
        assertThatIllegalArgumentException().isThrownBy(() -> new Normalize(null, new double[] {1}))
                .withMessage("Normalize needs as many means as stds, at least one each; got mean null, std [1.0]");
    }

    @Test
    void keepsItsOwnCopies() {
        double[] mean = {0.5};
        Normalize n = new Normalize(mean, new double[] {0.5});
        mean[0] = 7;
        n.mean()[0] = 7;
        n.std()[0] = 7;
        assertThat(n).isEqualTo(new Normalize(new double[] {0.5}, new double[] {0.5}))
                .hasSameHashCodeAs(new Normalize(new double[] {0.5}, new double[] {0.5}));
        assertThat(n.mean()).containsExactly(0.5);
    }

    @Test
    void describesItselfAsTorchvisionWritesIt() {
        assertThat(new Normalize(new double[] {0.5}, new double[] {0.5}))
                .hasToString("Normalize(mean=[0.5], std=[0.5])");
        assertThat(new Normalize(new double[] {0.1307}, new double[] {0.3081}).describe())
                .isEqualTo("Normalize(mean=[0.1307], std=[0.3081])");
    }
}
