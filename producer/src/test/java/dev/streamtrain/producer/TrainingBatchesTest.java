package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.streamtrain.producer.MinibatchProducerTest.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TrainingBatchesTest {

    private static final Sampling SAMPLING = new Sampling(true, false, 42, 20);
    private static final ImageDataset TRAIN = dataset(Split.TRAIN, 150);

    private static TrainingBatches batches(TrainingStream stream) {
        return new TrainingBatches(stream, new StreamPlan(stream.train().size(), stream.sampling(),
                stream.batchSize()));
    }

    @Test
    void anOpenStreamsPassKIsTheFiniteStreamsEpochKWithEpochsZero() {
        TrainingBatches finite = batches(TrainingStream.finite("s", TRAIN, 32, 3, SAMPLING, 32));
        TrainingBatches open = batches(TrainingStream.open("s", TRAIN, 32, SAMPLING, 32));
        long sequence = 0;
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int b = 0; b < finite.batchesPerEpoch(); b++, sequence++) {
                Minibatch f = finite.batch(epoch, b, sequence);
                Minibatch o = open.batch(epoch, b, sequence);
                assertThat(o.epochs()).isEqualTo(Minibatch.OPEN);
                assertThat(o.isOpen()).isTrue();
                assertThat(f.epochs()).isEqualTo(3);
                assertThat(new Minibatch(o.dataset(), o.split(), o.epoch(), 3, o.batchIndex(), o.batchesPerEpoch(),
                        o.datasetSize(), o.numClasses(), o.sampleShape(), o.pixels(), o.labels(), o.sampling(),
                        o.sampleIndexes())).isEqualTo(f);
            }
        }
        // and the passes go on past any finite stream's last epoch, each its own shuffle
        assertThat(open.batch(4, 0, sequence).sampleIndexes()).isNotEqualTo(open.batch(5, 0, sequence).sampleIndexes());
    }

    @Test
    void permutedLabelsComeAfterTheGivenNumberOfBatchesAndNothingElseChanges() {
        TrainingStream plain = TrainingStream.open("s", TRAIN, 32, SAMPLING, 32);
        TrainingBatches before = batches(plain);
        TrainingBatches drifting = batches(plain.drifting(Drift.permuteLabels(5, 7)));
        LabelPermutation permutation = LabelPermutation.derangement(10, 7);
        long sequence = 0;
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int b = 0; b < before.batchesPerEpoch(); b++, sequence++) {
                Minibatch expected = before.batch(epoch, b, sequence);
                Minibatch actual = drifting.batch(epoch, b, sequence);
                assertThat(actual.pixels()).isEqualTo(expected.pixels());
                assertThat(actual.sampleIndexes()).isEqualTo(expected.sampleIndexes());
                assertThat(actual.labels()).as("batch %d", sequence)
                        .isEqualTo(sequence < 5 ? expected.labels() : permutation.apply(expected.labels()));
            }
        }
        assertThat(sequence).isGreaterThan(5);
    }

    @Test
    void aSwappedDatasetIsReadAtTheSameFileIndexesUnderItsOwnName() {
        ImageDataset other = new ImageDataset("mnist", Split.TRAIN, new int[] {1, 28, 28},
                invert(TRAIN.pixels()), TRAIN.labels().clone(), 10);
        TrainingStream plain = TrainingStream.finite("s", TRAIN, 32, 2, SAMPLING, 32);
        TrainingBatches before = batches(plain);
        TrainingBatches drifting = batches(plain.drifting(Drift.swapDataset(3, other)));
        for (int b = 0; b < before.batchesPerEpoch(); b++) {
            Minibatch expected = before.batch(1, b, b);
            Minibatch actual = drifting.batch(1, b, b);
            assertThat(actual.sampleIndexes()).isEqualTo(expected.sampleIndexes());
            assertThat(actual.batchIndex()).isEqualTo(b);
            assertThat(actual.datasetSize()).isEqualTo(expected.datasetSize());
            if (b < 3) {
                assertThat(actual).isEqualTo(expected);
            } else {
                assertThat(actual.dataset()).isEqualTo("mnist");
                assertThat(actual.pixels()).isEqualTo(invert(expected.pixels()));
            }
        }
    }

    @Test
    void refusesToSwapInADatasetOfAnotherShapeOrTooFewSamples() {
        TrainingStream plain = TrainingStream.finite("s", TRAIN, 32, 2, SAMPLING, 32);
        ImageDataset cifar = new ImageDataset("cifar10", Split.TRAIN, new int[] {3, 32, 32}, new byte[3072 * 150],
                new byte[150], 10);
        assertThatIllegalArgumentException().isThrownBy(() -> plain.drifting(Drift.swapDataset(3, cifar)))
                .withMessage("cannot swap fashion-mnist (samples of shape [1, 28, 28], 10 classes) for cifar10 (shape "
                        + "[3, 32, 32], 10 classes): the drifted dataset must have the same shape and classes");
        ImageDataset small = dataset(Split.TRAIN, 100);
        assertThatIllegalArgumentException().isThrownBy(() -> plain.drifting(Drift.swapDataset(3, small)))
                .withMessageContaining("it has 100, and the stream reads it at the same file indexes, so it needs "
                        + "at least 150");
        assertThatIllegalArgumentException().isThrownBy(() -> Drift.permuteLabels(0, 1))
                .withMessage("a drift comes after at least 1 batch, got 0");
    }

    private static byte[] invert(byte[] pixels) {
        byte[] inverted = Arrays.copyOf(pixels, pixels.length);
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = (byte) ~inverted[i];
        }
        return inverted;
    }
}
