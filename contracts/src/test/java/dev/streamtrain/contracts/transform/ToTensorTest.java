package dev.streamtrain.contracts.transform;

import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ToTensorTest {

    private static final Minibatch BATCH = new Minibatch("fashion-mnist", Split.TRAIN, 1, 1, 0, 1, 2, 10,
            new int[] {1, 2, 2}, new byte[] {0, (byte) 255, (byte) 51, 1, 2, 3, 4, 5}, new byte[] {3, 9});

    @Test
    void pixelsAreScaledToUnitRangeInRecordOrderAndLabelsKept() {
        TensorBatch tensors = ToTensor.apply(BATCH);
        assertThat(tensors.features()).containsExactly(0f, 1f, 0.2f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 5 / 255f);
        assertThat(tensors.labels()).containsExactly(3, 9);
        assertThat(tensors.sampleShape()).isEqualTo(Shape.of(1, 2, 2));
        assertThat(tensors.classes()).isEqualTo(10);
    }

    /** Samples that came without a minibatch (a prediction request) become the tensors a minibatch's would. */
    @Test
    void rawPixelsBecomeWhatTheirMinibatchWould() {
        List<TensorTransform> normalize = List.of(new Normalize(new double[] {0.5}, new double[] {0.25}));
        TensorBatch fromBatch = ToTensor.apply(BATCH, normalize);
        TensorBatch fromPixels = ToTensor.apply(BATCH.pixels().clone(), Shape.of(1, 2, 2), new int[] {3, 9}, 10,
                normalize);
        assertThat(fromPixels).usingRecursiveComparison().isEqualTo(fromBatch);
    }

    @Test
    void noTransformsIsToTensorAlone() {
        assertThat(ToTensor.apply(BATCH, List.of()).features()).containsExactly(ToTensor.apply(BATCH).features());
    }

    /** {@code Compose([ToTensor(), Normalize((0.5,), (0.5,))])}: [0, 1] becomes [-1, 1]. */
    @Test
    void appliesTheTransformsAfterToTensor() {
        TensorBatch tensors = ToTensor.apply(BATCH, List.of(new Normalize(new double[] {0.5}, new double[] {0.5})));
        float[] expected = new float[8];
        for (int i = 0; i < 8; i++) {
            expected[i] = ((BATCH.pixels()[i] & 0xFF) / 255f - 0.5f) / 0.5f;
        }
        assertThat(tensors.features()).containsExactly(expected);
        assertThat(tensors.features()[0]).isEqualTo(-1f);
        assertThat(tensors.features()[1]).isEqualTo(1f);
        assertThat(tensors.labels()).containsExactly(3, 9);
    }

    @Test
    void appliesTheTransformsInOrder() {
        Normalize halves = new Normalize(new double[] {0.5}, new double[] {0.5});
        Normalize shift = new Normalize(new double[] {1}, new double[] {2});
        float[] halvesThenShift = ToTensor.apply(BATCH, List.of(halves, shift)).features();
        float[] shiftThenHalves = ToTensor.apply(BATCH, List.of(shift, halves)).features();
        assertThat(halvesThenShift[1]).isEqualTo(0f);   // (1 - 0.5) / 0.5 = 1, then (1 - 1) / 2
        assertThat(shiftThenHalves[1]).isEqualTo(-1f);  // (1 - 1) / 2 = 0, then (0 - 0.5) / 0.5
    }

    @Test
    void normalizesEachChannelOfEverySample() {
        // two samples of [3, 1, 1]: (r, g, b) = (0, 51, 255) and (255, 0, 51)
        Minibatch rgb = new Minibatch("cifar-10", Split.TEST, 1, 1, 0, 1, 2, 10, new int[] {3, 1, 1},
                new byte[] {0, 51, (byte) 255, (byte) 255, 0, 51}, new byte[] {0, 1});
        Normalize perChannel = new Normalize(new double[] {0, 0.2, 1}, new double[] {1, 0.5, 0.25});
        assertThat(ToTensor.apply(rgb, List.of(perChannel)).features())
                .containsExactly(0f, 0f, 0f, 1f, -0.4f, -3.2f);
    }

    @Test
    void rejectsATransformThatDoesNotFitTheSamples() {
        Normalize rgb = new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
        assertThatIllegalArgumentException().isThrownBy(() -> ToTensor.apply(BATCH, List.of(rgb)))
                .withMessageContaining("has 3 channels, samples of shape [1, 2, 2] have 1");
    }
}
