package dev.streamtrain.model;

import dev.streamtrain.model.layer.BatchNorm;
import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.ParameterTensor;
import dev.streamtrain.model.layer.ReLU;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class ArchitectureTest {

    @Test
    void shapesFlowThroughTheLayersAsInTorch() {
        Shape in = Shape.of(1, 28, 28);
        assertThat(new Conv2d(1, 6, 5, 1, 2).outputShape(in)).isEqualTo(Shape.of(6, 28, 28));
        assertThat(new Conv2d(1, 8, 3).outputShape(in)).isEqualTo(Shape.of(8, 26, 26));
        assertThat(new Conv2d(1, 4, 3, 2, 1).outputShape(in)).isEqualTo(Shape.of(4, 14, 14));
        assertThat(new MaxPool2d(2, 2).outputShape(Shape.of(6, 27, 27))).isEqualTo(Shape.of(6, 13, 13));
        assertThat(new Flatten().outputShape(Shape.of(16, 5, 5))).isEqualTo(Shape.of(400));
        assertThat(new BatchNorm(6).outputShape(Shape.of(6, 3, 3))).isEqualTo(Shape.of(6, 3, 3));
    }

    @Test
    void aLayerThatDoesNotFitItsInputIsNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Architecture(Shape.of(1, 28, 28), 10,
                List.of(new Linear(784, 10)))).withMessage("layer 0: Linear(in_features=784, out_features=10) needs a "
                        + "flat input [784], got [1, 28, 28]; put a Flatten before it (input samples [1, 28, 28])");
        assertThatIllegalArgumentException().isThrownBy(() -> new Architecture(Shape.of(3, 32, 32), 10,
                List.of(new Flatten(), new Linear(784, 10)))).withMessage("layer 1: Linear(in_features=784, "
                        + "out_features=10) takes 784 features, its input has 3072 (input samples [3, 32, 32])");
        assertThatIllegalArgumentException().isThrownBy(() -> new Architecture(Shape.of(1, 28, 28), 10,
                List.of(new Flatten(), new Linear(784, 10), new ReLU())))
                .withMessage("a network must end with a Linear layer producing the logits, got ReLU()");
        assertThatIllegalArgumentException().isThrownBy(() -> new Architecture(Shape.of(3, 32, 32), 10,
                List.of(new Conv2d(1, 8, 3), new Flatten(), new Linear(8 * 30 * 30, 10))))
                .withMessageStartingWith("layer 0: Conv2d(1, 8, kernel_size=3, stride=1, padding=0) takes 1 channels");
    }

    @Test
    void torchInitIsUniformInOneOverRootFanInAndConstantForBatchNorm() {
        List<ParameterTensor> tensors = new Architecture(Shape.of(2, 8, 8), 3, List.of(new Conv2d(2, 4, 3),
                new BatchNorm(4), new Flatten(), new Linear(144, 3))).parameters();
        float[] values = TorchInit.parameters(tensors, 7);
        assertThat(TorchInit.parameters(tensors, 7)).isEqualTo(values);
        assertThat(TorchInit.parameters(tensors, 8)).isNotEqualTo(values);
        int at = 0;
        for (ParameterTensor tensor : tensors) {
            float max = 0;
            for (int i = at; i < at + tensor.size(); i++) {
                max = Math.max(max, Math.abs(values[i]));
            }
            switch (tensor.name()) {
                case "0_W", "0_b" -> assertThat((double) max).isLessThanOrEqualTo(1 / Math.sqrt(2 * 3 * 3))
                        .isGreaterThan(0.5 / Math.sqrt(18));
                case "1_gamma", "1_var" -> assertThat(java.util.Arrays.copyOfRange(values, at, at + 4))
                        .containsOnly(1f);
                case "1_beta", "1_mean" -> assertThat(max).isZero();
                case "2_W", "2_b" -> assertThat((double) max).isLessThanOrEqualTo(1 / Math.sqrt(144));
                default -> throw new AssertionError(tensor.name());
            }
            at += tensor.size();
        }
    }

    @Test
    void tutorialInitIsThePreEngineSeamOneValueForValue() {
        // commit 89bed04's TorchLinearInit: one SplittableRandom, tensors in layout order, bound 1/sqrt(fan_in)
        float[] values = TorchInit.parameters(TutorialMlp.architecture().parameters(), 42);
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        assertThat(values[0]).isEqualTo((float) ((random.nextDouble() * 2 - 1) / 28));
        assertThat(values[1]).isEqualTo((float) ((random.nextDouble() * 2 - 1) / 28));
        assertThat((double) values[values.length - 1]).isCloseTo(0, within(1 / Math.sqrt(512)));
    }
}
