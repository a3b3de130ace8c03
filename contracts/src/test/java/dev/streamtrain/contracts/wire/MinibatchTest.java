package dev.streamtrain.contracts.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class MinibatchTest {

    private static final int[] SHAPE = {1, 2, 2};
    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, 6, 7};
    private static final byte[] LABELS = {9, 0};

    private static Minibatch batch(int epoch, int epochs, int batchIndex, int batchesPerEpoch) {
        return new Minibatch("mnist", Split.TRAIN, epoch, epochs, batchIndex, batchesPerEpoch, 10, 10, SHAPE,
                PIXELS, LABELS);
    }

    @Test
    void exposesItsShape() {
        Minibatch b = Minibatches.small();
        assertThat(b.sampleCount()).isEqualTo(2);
        assertThat(b.sampleSize()).isEqualTo(4);
        assertThat(b.label(0)).isEqualTo(9);
        assertThat(b.label(1)).isEqualTo(0);
        assertThat(Minibatches.of("x", Split.TEST, 1, 1, 1, 28, 28).sampleSize()).isEqualTo(784);
    }

    @Test
    void labelsAreUnsigned() {
        Minibatch b = new Minibatch("d", Split.TEST, 1, 1, 0, 1, 1, 256, new int[] {1}, new byte[] {5},
                new byte[] {(byte) 255});
        assertThat(b.label(0)).isEqualTo(255);
    }

    @Test
    void knowsWhereItEndsEpochsAndTheStream() {
        assertThat(batch(1, 2, 2, 3).endsEpoch()).isTrue();
        assertThat(batch(1, 2, 2, 3).endsStream()).isFalse();
        assertThat(batch(2, 2, 2, 3).endsStream()).isTrue();
        assertThat(batch(2, 2, 1, 3).endsEpoch()).isFalse();
        assertThat(batch(2, 2, 1, 3).endsStream()).isFalse();
        assertThat(batch(1, 1, 0, 1).endsStream()).isTrue();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of((Supplier<Minibatch>) () -> new Minibatch("", Split.TRAIN, 1, 1, 0, 1, 10, 10, SHAPE,
                        PIXELS, LABELS), "dataset name must not be empty"),
                Arguments.of((Supplier<Minibatch>) () -> batch(0, 3, 0, 1), "epoch must be in [1, epochs=3], got 0"),
                Arguments.of((Supplier<Minibatch>) () -> batch(4, 3, 0, 1), "epoch must be in [1, epochs=3], got 4"),
                Arguments.of((Supplier<Minibatch>) () -> batch(1, 0, 0, 1), "only training batches that say how their "
                        + "stream was made can belong to an open stream (epochs = 0), got a train batch without sampling"),
                Arguments.of((Supplier<Minibatch>) () -> batch(1, 1, -1, 4),
                        "batchIndex must be in [0, batchesPerEpoch=4), got -1"),
                Arguments.of((Supplier<Minibatch>) () -> batch(1, 1, 4, 4),
                        "batchIndex must be in [0, batchesPerEpoch=4), got 4"),
                Arguments.of((Supplier<Minibatch>) () -> batch(1, 1, 0, 0),
                        "batchIndex must be in [0, batchesPerEpoch=0), got 0"),
                Arguments.of(numClasses(0), "numClasses must be in [1, 256], got 0"),
                Arguments.of(numClasses(257), "numClasses must be in [1, 256], got 257"),
                Arguments.of(shaped(new int[0], new byte[0]), "sampleShape must have 1..8 dimensions, got 0"),
                Arguments.of(shaped(new int[9], new byte[0]), "sampleShape must have 1..8 dimensions, got 9"),
                Arguments.of(shaped(new int[] {1, 0, 2}, new byte[0]),
                        "sampleShape dimensions must be >= 1, got [1, 0, 2]"),
                Arguments.of(shaped(new int[] {2, -1}, new byte[0]),
                        "sampleShape dimensions must be >= 1, got [2, -1]"),
                Arguments.of(shaped(new int[] {65536, 65536}, new byte[0]), "sampleShape [65536, 65536] is too large"),
                Arguments.of((Supplier<Minibatch>) () -> new Minibatch("d", Split.TRAIN, 1, 1, 0, 1, 10, 10, SHAPE,
                        new byte[0], new byte[0]), "a minibatch holds at least one sample"),
                Arguments.of((Supplier<Minibatch>) () -> new Minibatch("d", Split.TRAIN, 1, 1, 0, 1, 1, 10, SHAPE,
                        PIXELS, LABELS), "datasetSize 1 is smaller than this batch's 2 samples"),
                Arguments.of(shaped(SHAPE, new byte[7]), "pixels must hold sampleCount x prod(sampleShape) = 2 x 4"
                        + " bytes, got 7"),
                Arguments.of(shaped(SHAPE, new byte[9]), "pixels must hold sampleCount x prod(sampleShape) = 2 x 4"
                        + " bytes, got 9"),
                Arguments.of(labelled(new byte[] {0, 10}), "label of sample 1 is 10, outside [0, 10)"),
                Arguments.of(labelled(new byte[] {(byte) 0xFF, 0}), "label of sample 0 is 255, outside [0, 10)"));
    }

    private static Supplier<Minibatch> numClasses(int numClasses) {
        return () -> new Minibatch("d", Split.TRAIN, 1, 1, 0, 1, 10, numClasses, SHAPE, PIXELS, new byte[] {0, 0});
    }

    private static Supplier<Minibatch> shaped(int[] shape, byte[] pixels) {
        return () -> new Minibatch("d", Split.TRAIN, 1, 1, 0, 1, 10, 10, shape, pixels, LABELS);
    }

    private static Supplier<Minibatch> labelled(byte[] labels) {
        return () -> new Minibatch("d", Split.TRAIN, 1, 1, 0, 1, 10, 10, SHAPE, PIXELS, labels);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void rejectsInvalidBatches(Supplier<Minibatch> build, String message) {
        assertThatIllegalArgumentException().isThrownBy(build::get).withMessage(message);
    }

    @Test
    void rejectsNulls() {
        assertThatNullPointerException().isThrownBy(() -> new Minibatch(null, Split.TRAIN, 1, 1, 0, 1, 10, 10, SHAPE,
                PIXELS, LABELS)).withMessage("dataset");
        assertThatNullPointerException().isThrownBy(() -> new Minibatch("d", Split.TRAIN, 1, 1, 0, 1, 10, 10, SHAPE,
                null, LABELS)).withMessage("pixels");
    }

    @Test
    void comparesArrayContents() {
        Minibatch a = Minibatches.small();
        Minibatch b = Minibatches.small();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        Minibatch otherPixel = new Minibatch("mnist", Split.TRAIN, 1, 2, 0, 3, 10, 10, new int[] {1, 2, 2},
                new byte[] {0, 1, 2, 3, 4, 5, 6, 8}, new byte[] {9, 0});
        Minibatch otherShape = new Minibatch("mnist", Split.TRAIN, 1, 2, 0, 3, 10, 10, new int[] {1, 4, 1},
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, new byte[] {9, 0});
        Minibatch otherSplit = new Minibatch("mnist", Split.TEST, 1, 2, 0, 3, 10, 10, new int[] {1, 2, 2},
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, new byte[] {9, 0});
        assertThat(a).isNotEqualTo(otherPixel).isNotEqualTo(otherShape).isNotEqualTo(otherSplit);
    }

    @Test
    void describesItself() {
        assertThat(Minibatches.small()).hasToString("Minibatch[mnist TRAIN epoch 1/2 batch 0/3, 2 x [1, 2, 2]]");
    }

    @Test
    void splitCodesAreTheWireBytes() {
        assertThat(Split.TRAIN.code()).isZero();
        assertThat(Split.TEST.code()).isEqualTo(1);
        assertThat(Split.VALIDATION.code()).isEqualTo(2);
        assertThat(Split.fromCode(1)).isEqualTo(Split.TEST);
        assertThat(Split.fromCode(2)).isEqualTo(Split.VALIDATION);
        assertThat(Split.VALIDATION.label()).isEqualTo("validation");
        assertThatIllegalArgumentException().isThrownBy(() -> Split.fromCode(3))
                .withMessage("unknown split code 3 (0 = train, 1 = test, 2 = validation)");
    }

    private static final Sampling SHUFFLED = new Sampling(true, false, 42, 6000);

    private static Minibatch sampled(Split split, Sampling sampling, int[] indexes) {
        return new Minibatch("mnist", split, 1, 1, 0, 1, 10, 10, SHAPE, PIXELS, LABELS, sampling, indexes);
    }

    @Test
    void aVersion2BatchCarriesItsSamplingAndWhereEachSampleSits() {
        Minibatch b = sampled(Split.VALIDATION, SHUFFLED, new int[] {59_999, 0});
        assertThat(b.hasSampling()).isTrue();
        assertThat(b.sampling()).isEqualTo(SHUFFLED);
        assertThat(b.sampleIndexes()).containsExactly(59_999, 0);
        assertThat(batch(1, 1, 0, 1).hasSampling()).isFalse();
        assertThat(batch(1, 1, 0, 1).sampling()).isNull();
        assertThat(batch(1, 1, 0, 1).sampleIndexes()).isNull();
    }

    static Stream<Arguments> invalidSampling() {
        return Stream.of(
                Arguments.of((Supplier<Minibatch>) () -> sampled(Split.TRAIN, SHUFFLED, null),
                        "a minibatch has both sampling and sample indexes (version 2) or neither (version 1)"),
                Arguments.of((Supplier<Minibatch>) () -> sampled(Split.TRAIN, null, new int[] {1, 2}),
                        "a minibatch has both sampling and sample indexes (version 2) or neither (version 1)"),
                Arguments.of((Supplier<Minibatch>) () -> sampled(Split.TRAIN, SHUFFLED, new int[] {1}),
                        "2 samples but 1 sample indexes"),
                Arguments.of((Supplier<Minibatch>) () -> sampled(Split.TRAIN, SHUFFLED, new int[] {1, 2, 3}),
                        "2 samples but 3 sample indexes"),
                Arguments.of((Supplier<Minibatch>) () -> sampled(Split.TEST, Sampling.IN_ORDER, new int[] {4, -1}),
                        "sample index 1 is -1, must be >= 0"),
                Arguments.of((Supplier<Minibatch>) () -> sampled(Split.VALIDATION, null, null),
                        "a validation batch carries its sampling (minibatch version 2)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSampling")
    void rejectsInconsistentSampling(Supplier<Minibatch> build, String message) {
        assertThatIllegalArgumentException().isThrownBy(build::get).withMessage(message);
    }

    @Test
    void samplingAndIndexesTakePartInEquality() {
        Minibatch a = sampled(Split.TRAIN, SHUFFLED, new int[] {5, 6});
        assertThat(a).isEqualTo(sampled(Split.TRAIN, SHUFFLED, new int[] {5, 6}))
                .hasSameHashCodeAs(sampled(Split.TRAIN, SHUFFLED, new int[] {5, 6}));
        assertThat(a).isNotEqualTo(sampled(Split.TRAIN, SHUFFLED, new int[] {6, 5}))
                .isNotEqualTo(sampled(Split.TRAIN, new Sampling(true, false, 43, 6000), new int[] {5, 6}))
                .isNotEqualTo(sampled(Split.TRAIN, new Sampling(false, false, 42, 6000), new int[] {5, 6}))
                .isNotEqualTo(sampled(Split.TRAIN, new Sampling(true, true, 42, 6000), new int[] {5, 6}))
                .isNotEqualTo(sampled(Split.TRAIN, new Sampling(true, false, 42, 0), new int[] {5, 6}))
                .isNotEqualTo(new Minibatch("mnist", Split.TRAIN, 1, 1, 0, 1, 10, 10, SHAPE, PIXELS, LABELS));
    }

    @Test
    void samplingRejectsANegativeValidationSize() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Sampling(true, true, 1, -1))
                .withMessage("validationSize must be >= 0, got -1");
    }

    @Test
    void samplingSaysWhatTheDataLoaderWasGiven() {
        assertThat(SHUFFLED.hasValidation()).isTrue();
        assertThat(Sampling.IN_ORDER.hasValidation()).isFalse();
        assertThat(Sampling.IN_ORDER).isEqualTo(new Sampling(false, false, 0, 0));
        assertThat(SHUFFLED.describe()).isEqualTo("shuffle=true, drop_last=false, seed=42, val_size=6000");
    }
}
