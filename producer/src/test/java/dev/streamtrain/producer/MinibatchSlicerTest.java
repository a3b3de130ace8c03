package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinibatchSlicerTest {

    /** 5 samples of 2x2 pixels; sample i is filled with value 10*i and labelled i. */
    static ImageDataset tiny() {
        byte[] pixels = new byte[5 * 4];
        byte[] labels = new byte[5];
        for (int i = 0; i < 5; i++) {
            labels[i] = (byte) i;
            for (int p = 0; p < 4; p++) {
                pixels[i * 4 + p] = (byte) (10 * i);
            }
        }
        return new ImageDataset("tiny", Split.TRAIN, new int[] {1, 2, 2}, pixels, labels, 10);
    }

    @Test
    void lastPartialBatchIsKeptLikeDataLoader() {
        MinibatchSlicer slicer = new MinibatchSlicer(tiny(), 2);
        assertThat(slicer.batchesPerEpoch()).isEqualTo(3);
        int[] order = {4, 3, 2, 1, 0};
        Minibatch last = slicer.batch(2, 3, 2, order);
        assertThat(last.sampleCount()).isEqualTo(1);
        assertThat(last.labels()).containsExactly(0);
        assertThat(last.endsEpoch()).isTrue();
        assertThat(last.endsStream()).isFalse();
        assertThat(last.datasetSize()).isEqualTo(5);
    }

    @Test
    void samplesAreTakenInTheGivenOrderWithTheirLabels() {
        Minibatch first = new MinibatchSlicer(tiny(), 2).batch(1, 1, 0, new int[] {3, 1, 0, 2, 4});
        assertThat(first.labels()).containsExactly(3, 1);
        assertThat(first.pixels()).containsExactly(30, 30, 30, 30, 10, 10, 10, 10);
        assertThat(first.sampleShape()).containsExactly(1, 2, 2);
    }

    @Test
    void batchSizeMustBePositive() {
        assertThatThrownBy(() -> new MinibatchSlicer(tiny(), 0)).hasMessageContaining("batch size must be >= 1");
    }
}
