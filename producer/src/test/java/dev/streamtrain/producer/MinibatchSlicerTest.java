package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinibatchSlicerTest {

    private static final Sampling SHUFFLED = new Sampling(true, false, 42, 0);

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

    private static MinibatchSlicer trainSlicer(int batchSize, Sampling sampling) {
        return new MinibatchSlicer(tiny(), Split.TRAIN, 5, batchSize, (5 + batchSize - 1) / batchSize, sampling);
    }

    @Test
    void lastPartialBatchKeepsTheRestLikeDataLoader() {
        MinibatchSlicer slicer = trainSlicer(2, SHUFFLED);
        assertThat(slicer.batchesPerEpoch()).isEqualTo(3);
        int[] order = {4, 3, 2, 1, 0};
        Minibatch last = slicer.batch(2, 3, 2, order);
        assertThat(last.sampleCount()).isEqualTo(1);
        assertThat(last.labels()).containsExactly(0);
        assertThat(last.sampleIndexes()).containsExactly(0);
        assertThat(last.endsEpoch()).isTrue();
        assertThat(last.endsStream()).isFalse();
        assertThat(last.datasetSize()).isEqualTo(5);
    }

    @Test
    void samplesAreTakenInTheGivenOrderWithTheirLabelsAndIndexes() {
        Minibatch first = trainSlicer(2, SHUFFLED).batch(1, 1, 0, new int[] {3, 1, 0, 2, 4});
        assertThat(first.labels()).containsExactly(3, 1);
        assertThat(first.pixels()).containsExactly(30, 30, 30, 30, 10, 10, 10, 10);
        assertThat(first.sampleIndexes()).containsExactly(3, 1);
        assertThat(first.sampleShape()).containsExactly(1, 2, 2);
        Minibatch second = trainSlicer(2, SHUFFLED).batch(1, 1, 1, new int[] {3, 1, 0, 2, 4});
        assertThat(second.sampleIndexes()).containsExactly(0, 2);
        assertThat(second.labels()).containsExactly(0, 2);
    }

    @Test
    void samplingIsCarriedByEveryBatch() {
        Sampling sampling = new Sampling(true, true, 7, 2);
        MinibatchSlicer slicer = new MinibatchSlicer(tiny(), Split.TRAIN, 3, 2, 1, sampling);
        Minibatch batch = slicer.batch(1, 2, 0, new int[] {4, 0, 2});
        assertThat(batch.sampling()).isEqualTo(sampling);
        assertThat(batch.hasSampling()).isTrue();
        assertThat(batch.datasetSize()).as("the split's size, not the file's").isEqualTo(3);
        assertThat(batch.batchesPerEpoch()).isEqualTo(1);
        assertThat(batch.sampleIndexes()).containsExactly(4, 0);
    }

    @Test
    void theSplitGivenIsTheSplitWritten() {
        Minibatch batch = new MinibatchSlicer(tiny(), Split.VALIDATION, 2, 4, 1, new Sampling(false, false, 1, 2))
                .batch(1, 1, 0, new int[] {1, 3});
        assertThat(batch.split()).isEqualTo(Split.VALIDATION);
        assertThat(batch.sampleIndexes()).containsExactly(1, 3);
        assertThat(batch.labels()).containsExactly(1, 3);
    }

    @Test
    void inOrderSlicesTheWholeFileUnshuffled() {
        MinibatchSlicer slicer = MinibatchSlicer.inOrder(tiny(), 2);
        assertThat(slicer.batchesPerEpoch()).isEqualTo(3);
        Minibatch last = slicer.batch(1, 1, 2, EpochShuffler.identity(5));
        assertThat(last.sampling()).isEqualTo(Sampling.IN_ORDER);
        assertThat(last.sampleIndexes()).containsExactly(4);
        assertThat(last.split()).isEqualTo(Split.TRAIN);
        assertThat(last.datasetSize()).isEqualTo(5);
    }

    @Test
    void batchSizeMustBePositive() {
        assertThatThrownBy(() -> new MinibatchSlicer(tiny(), Split.TRAIN, 5, 0, 1, SHUFFLED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size must be >= 1");
    }
}
