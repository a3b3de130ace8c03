package dev.streamtrain.contracts.transform;

import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.Shape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToTensorTest {

    @Test
    void pixelsAreScaledToUnitRangeInRecordOrderAndLabelsKept() {
        Minibatch batch = new Minibatch("fashion-mnist", Split.TRAIN, 1, 1, 0, 1, 2, 10, new int[] {1, 2, 2},
                new byte[] {0, (byte) 255, (byte) 51, 1, 2, 3, 4, 5}, new byte[] {3, 9});
        TensorBatch tensors = ToTensor.apply(batch);
        assertThat(tensors.features()).containsExactly(0f, 1f, 0.2f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 5 / 255f);
        assertThat(tensors.labels()).containsExactly(3, 9);
        assertThat(tensors.sampleShape()).isEqualTo(Shape.of(1, 2, 2));
        assertThat(tensors.classes()).isEqualTo(10);
    }
}
