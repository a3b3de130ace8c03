package dev.streamtrain.model;

import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TensorLayout;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TutorialMlpTest {

    private static final TutorialMlp MODEL = new TutorialMlp();

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    @Test
    void layoutIsTheTutorialNetwork() {
        assertThat(MODEL.layout()).extracting(TensorLayout::toString).containsExactly(
                "0_W [784, 512]", "0_b [512]", "1_W [512, 512]", "1_b [512]", "2_W [512, 10]", "2_b [10]");
        assertThat(MODEL.layout().stream().mapToLong(TensorLayout::size).sum()).isEqualTo(669_706L);
    }

    @Test
    void initialisationIsTorchUniformAndSeeded() {
        float[] a = TorchLinearInit.parameters(MODEL.layout(), 42);
        float[] b = TorchLinearInit.parameters(MODEL.layout(), 42);
        float[] c = TorchLinearInit.parameters(MODEL.layout(), 43);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        // first layer: fan_in 784, bound 1/28; last bias: fan_in 512, bound 1/sqrt(512)
        float max0 = 0;
        for (int i = 0; i < 784 * 512 + 512; i++) {
            max0 = Math.max(max0, Math.abs(a[i]));
        }
        assertThat(max0).isLessThanOrEqualTo(1f / 28).isGreaterThan(0.99f / 28);
        float lastBiasMax = 0;
        for (int i = a.length - 10; i < a.length; i++) {
            lastBiasMax = Math.max(lastBiasMax, Math.abs(a[i]));
        }
        assertThat(lastBiasMax).isLessThanOrEqualTo((float) (1 / Math.sqrt(512)));
    }

    @Test
    void networkHoldsExactlyTheInitialisedValuesRowMajor() {
        MultiLayerNetwork network = MODEL.create(OptimizerSpec.sgd(1e-3), 42);
        float[] expected = TorchLinearInit.parameters(MODEL.layout(), 42);
        assertThat(ParameterLayout.read(network, MODEL.layout())).isEqualTo(expected);
        // row-major: element [i, j] of 0_W is at i * 512 + j
        INDArray w0 = network.getParam("0_W");
        assertThat(w0.getFloat(3, 7)).isEqualTo(expected[3 * 512 + 7]);
        assertThat(w0.getFloat(783, 511)).isEqualTo(expected[783 * 512 + 511]);
    }

    @Test
    void oneSgdStepLowersTheLossOnTheSameBatchAndIsDeterministic() {
        Minibatch batch = randomBatch(64, 7);
        MultiLayerNetwork first = MODEL.create(OptimizerSpec.sgd(0.1), 42);
        MultiLayerNetwork second = MODEL.create(OptimizerSpec.sgd(0.1), 42);
        first.fit(MinibatchTensors.toDataSet(batch));
        double lossBefore = first.score();
        assertThat(lossBefore).isBetween(2.0, 2.6); // ~ln(10) at init
        second.fit(MinibatchTensors.toDataSet(batch));
        assertThat(WeightSnapshot.sha256(ParameterLayout.read(first, MODEL.layout())))
                .isEqualTo(WeightSnapshot.sha256(ParameterLayout.read(second, MODEL.layout())));
        first.fit(MinibatchTensors.toDataSet(batch));
        assertThat(first.score()).isLessThan(lossBefore);
    }

    @Test
    void writeThenReadRoundTrips() {
        MultiLayerNetwork network = MODEL.create(OptimizerSpec.sgd(1e-3), 1);
        float[] values = TorchLinearInit.parameters(MODEL.layout(), 99);
        ParameterLayout.write(network, MODEL.layout(), values);
        assertThat(ParameterLayout.read(network, MODEL.layout())).isEqualTo(values);
        assertThatThrownBy(() -> ParameterLayout.write(network, MODEL.layout(), new float[3]))
                .hasMessageContaining("holds 669706 values, got 3");
    }

    @Test
    void incompatibleBatchesAreRejectedByName() {
        Minibatch wrongShape = new Minibatch("cifar-10", Split.TRAIN, 1, 1, 0, 1, 2, 10, new int[] {3, 32, 32},
                new byte[2 * 3 * 32 * 32], new byte[2]);
        assertThatThrownBy(() -> MinibatchTensors.requireCompatible(MODEL, wrongShape))
                .hasMessageContaining("takes samples of shape [1, 28, 28]").hasMessageContaining("[3, 32, 32]");
        assertThatThrownBy(() -> NetworkModels.byName("resnet"))
                .hasMessageContaining("unknown model 'resnet'").hasMessageContaining(TutorialMlp.NAME);
    }

    @Test
    void featuresAreScaledToUnitRangeAndLabelsOneHot() {
        Minibatch batch = new Minibatch("fashion-mnist", Split.TRAIN, 1, 1, 0, 1, 1, 10, new int[] {1, 2, 2},
                new byte[] {0, (byte) 255, (byte) 51, 1}, new byte[] {3});
        assertThat(MinibatchTensors.features(batch).toFloatVector()).containsExactly(0f, 1f, 0.2f, 1 / 255f);
        assertThat(MinibatchTensors.oneHotLabels(batch).toFloatVector())
                .containsExactly(0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
    }

    static Minibatch randomBatch(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) random.nextInt(10);
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = (byte) random.nextInt(256);
            }
        }
        return new Minibatch("fashion-mnist", Split.TRAIN, 1, 1, 0, 1, n, 10, new int[] {1, 28, 28}, pixels,
                labels);
    }

    static List<TensorLayout> layout() {
        return MODEL.layout();
    }
}
