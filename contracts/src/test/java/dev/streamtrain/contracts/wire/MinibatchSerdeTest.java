package dev.streamtrain.contracts.wire;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.streamtrain.contracts.wire.WireBytes.append;
import static dev.streamtrain.contracts.wire.WireBytes.hex;
import static dev.streamtrain.contracts.wire.WireBytes.splice;
import static dev.streamtrain.contracts.wire.WireBytes.unhex;
import static dev.streamtrain.contracts.wire.WireBytes.withI32;
import static dev.streamtrain.contracts.wire.WireBytes.withU16;
import static dev.streamtrain.contracts.wire.WireBytes.withU8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinibatchSerdeTest {

    private final MinibatchSerializer serializer = new MinibatchSerializer();
    private final MinibatchDeserializer deserializer = new MinibatchDeserializer();

    /** The golden batch: 2 test samples of [1, 2, 2] of dataset "ab". */
    private static final Minibatch GOLDEN = new Minibatch("ab", Split.TEST, 2, 3, 1, 4, 10, 10, new int[] {1, 2, 2},
            new byte[] {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFF, 0x10, 0x20, 0x30}, new byte[] {3, 9});

    /** Derived by hand from the layout in MinibatchSerializer's Javadoc. */
    private static final String GOLDEN_HEX = "53544D42" // magic "STMB"
            + "01" + "01" + "01" + "03" // version 1, split test, dtype uint8, rank 3
            + "0002" + "6162" // dataset "ab"
            + "00000002" + "00000003" + "00000001" + "00000004" + "0000000A" // epoch, epochs, batch, batches, size
            + "000A" + "00000002" // numClasses 10, sampleCount 2
            + "00000001" + "00000002" + "00000002" // dims [1, 2, 2]
            + "00017F80FF102030" + "0309"; // pixels, labels

    /** A version 2 batch: validation batch 0 of 2 of a split of 3, made with shuffle, drop_last, seed 42. */
    private static final Minibatch GOLDEN_V2 = new Minibatch("ab", Split.VALIDATION, 1, 1, 0, 2, 3, 10,
            new int[] {1, 2, 2}, new byte[] {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFF, 0x10, 0x20, 0x30},
            new byte[] {3, 9}, new Sampling(true, true, 42, 3), new int[] {8, 3});

    /** Derived by hand from the layout in MinibatchSerializer's Javadoc. */
    private static final String GOLDEN_V2_HEX = "53544D42" // magic "STMB"
            + "02" + "02" + "01" + "03" // version 2, split validation, dtype uint8, rank 3
            + "0002" + "6162" // dataset "ab"
            + "00000001" + "00000001" + "00000000" + "00000002" + "00000003" // epoch, epochs, batch, batches, size
            + "000A" + "00000002" // numClasses 10, sampleCount 2
            + "00000001" + "00000002" + "00000002" // dims [1, 2, 2]
            + "03" + "000000000000002A" + "00000003" // flags shuffle | drop_last, seed 42, validationSize 3
            + "00000008" + "00000003" // sampleIndexes 8, 3
            + "00017F80FF102030" + "0309"; // pixels, labels

    static Stream<Arguments> batches() {
        return Stream.of(
                Arguments.of("1 sample, [1, 28, 28]", Minibatches.of("fashion-mnist", Split.TRAIN, 10, 1, 1, 28, 28)),
                Arguments.of("64 samples, [1, 28, 28]", Minibatches.of("fashion-mnist", Split.TRAIN, 10, 64, 1, 28, 28)),
                Arguments.of("rank 1", Minibatches.of("mnist", Split.TEST, 10, 3, 5)),
                Arguments.of("rank 3 uneven", Minibatches.of("mnist", Split.TRAIN, 10, 2, 3, 4, 5)),
                Arguments.of("rank 8", Minibatches.of("mnist", Split.TRAIN, 10, 2, 2, 1, 2, 1, 2, 1, 2, 1)),
                Arguments.of("256 classes", Minibatches.of("cifar", Split.TRAIN, 256, 300, 1)),
                Arguments.of("1 class", Minibatches.of("one", Split.TEST, 1, 4, 2, 2)),
                Arguments.of("unicode dataset", Minibatches.of("fäshion-мнист-数据-😀", Split.TEST, 10, 2, 1, 3, 3)),
                Arguments.of("golden", GOLDEN),
                Arguments.of("longest dataset name", Minibatches.of("d".repeat(65535), Split.TRAIN, 10, 1, 1)),
                Arguments.of("v2 golden", GOLDEN_V2),
                Arguments.of("v2 64 shuffled samples, [1, 28, 28]", Minibatches.v2(
                        Minibatches.of("fashion-mnist", Split.TRAIN, 10, 64, 1, 28, 28),
                        new Sampling(true, false, 42, 6000), 5)),
                Arguments.of("v2 test batch in order", Minibatches.v2(Minibatches.of("mnist", Split.TEST, 10, 3, 5),
                        Sampling.IN_ORDER, 0)),
                Arguments.of("v2 validation batch", Minibatches.v2(Minibatches.of("mnist", Split.TRAIN, 10, 2,
                        3, 4, 5), Split.VALIDATION, new Sampling(false, false, -1, 6000), 17)),
                Arguments.of("v2 extremes", Minibatches.v2(Minibatches.of("d", Split.TRAIN, 256, 1, 1),
                        new Sampling(false, true, Long.MIN_VALUE, Integer.MAX_VALUE), Integer.MAX_VALUE)),
                Arguments.of("v3 open stream", open(1)),
                Arguments.of("v3 open stream, epoch 1000", open(1000)),
                Arguments.of("v2 rank 8, 256 classes", Minibatches.v2(Minibatches.of("cifar", Split.TRAIN, 256, 300,
                        2, 1, 2, 1, 2, 1, 2, 1), new Sampling(true, true, Long.MAX_VALUE, 0), 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void roundTrips(String name, Minibatch batch) {
        byte[] bytes = serializer.serialize("t", batch);
        Minibatch back = deserializer.deserialize("t", bytes);
        assertThat(back).isEqualTo(batch);
        assertThat(back.sampleShape()).containsExactly(batch.sampleShape());
        assertThat(back.labels()).containsExactly(batch.labels());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void encodesToTheDocumentedSize(String name, Minibatch batch) {
        int rank = batch.sampleShape().length;
        int nameBytes = batch.dataset().getBytes(StandardCharsets.UTF_8).length;
        long expected = 4 + 1 + 1 + 1 + 1 + 2 + nameBytes + 4 * 5 + 2 + 4 + 4 * rank
                + (batch.hasSampling() ? 1 + 8 + 4 + 4L * batch.sampleCount() : 0)
                + (long) batch.sampleCount() * batch.sampleSize() + batch.sampleCount();
        assertThat(serializer.serialize("t", batch)).hasSize((int) expected);
    }

    /** A batch without sampling is written as version 1, one with sampling as version 2, an open stream's as 3. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void writesTheOldestVersionThatHoldsTheBatch(String name, Minibatch batch) {
        assertThat(serializer.serialize("t", batch)[4])
                .isEqualTo((byte) (batch.isOpen() ? 3 : batch.hasSampling() ? 2 : 1));
    }

    /** Training batch 1 of 2 of epoch {@code epoch} of an open stream. */
    private static Minibatch open(int epoch) {
        return new Minibatch("ab", Split.TRAIN, epoch, Minibatch.OPEN, 1, 2, 3, 10, new int[] {1, 2, 2},
                new byte[] {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFF, 0x10, 0x20, 0x30}, new byte[] {3, 9},
                new Sampling(true, false, 42, 0), new int[] {2, 0});
    }

    @Test
    void anOpenStreamsBatchIsVersion2sLayoutUnderVersion3AndOnlyVersion3AllowsIt() {
        byte[] v3 = serializer.serialize("t", open(7));
        byte[] finite = serializer.serialize("t", new Minibatch("ab", Split.TRAIN, 7, 9, 1, 2, 3, 10,
                new int[] {1, 2, 2}, open(7).pixels(), open(7).labels(), open(7).sampling(), open(7).sampleIndexes()));
        assertThat(v3[4]).isEqualTo((byte) 3);
        assertThat(finite[4]).isEqualTo((byte) 2);
        // the same bytes but the version and the epochs field
        assertThat(withU8(WireBytes.withI32(v3, 16, 9), 4, 2)).isEqualTo(finite);
        Minibatch read = deserializer.deserialize("t", v3);
        assertThat(read.isOpen()).isTrue();
        assertThat(read.endsStream()).as("an open stream has no last batch").isFalse();
        assertThat(read.endsEpoch()).isTrue();
        assertThat(read.toString()).contains("epoch 7/open batch 1");

        assertThatThrownBy(() -> deserializer.deserialize("t", withU8(v3, 4, 2)))
                .isInstanceOf(SerializationException.class).hasMessage("minibatch record: field 'epochs' must be >= 1 "
                        + "in version 2 (0, an open stream, exists from version 3 on), got 0");
        assertThatThrownBy(() -> deserializer.deserialize("t", withU8(v3, SPLIT, 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("only training batches");
        assertThatThrownBy(() -> deserializer.deserialize("t", WireBytes.withI32(v3, EPOCH, 0)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("minibatch record: epoch of an open stream must be >= 1, got 0");
    }

    @Test
    void aVersion1RecordRoundTripsByteForByte() {
        byte[] v1 = unhex(GOLDEN_HEX);
        Minibatch read = deserializer.deserialize("t", v1);
        assertThat(read.hasSampling()).isFalse();
        assertThat(read.sampleIndexes()).isNull();
        assertThat(serializer.serialize("t", read)).isEqualTo(v1);
    }

    @Test
    void aVersion2RecordRoundTripsByteForByte() {
        byte[] v2 = unhex(GOLDEN_V2_HEX);
        assertThat(serializer.serialize("t", deserializer.deserialize("t", v2))).isEqualTo(v2);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 64, 100})
    void fashionMnistBatchesHaveTheDocumentedSize(int n) {
        Minibatch batch = Minibatches.of("fashion-mnist", Split.TRAIN, 10, n, 1, 28, 28);
        assertThat(serializer.serialize("t", batch))
                .hasSize(4 + 1 + 1 + 1 + 1 + 2 + 13 + 4 * 5 + 2 + 4 + 4 * 3 + n * 784 + n);
        assertThat(serializer.serialize("t", Minibatches.v2(batch, new Sampling(true, false, 42, 0), 0)))
                .hasSize(4 + 1 + 1 + 1 + 1 + 2 + 13 + 4 * 5 + 2 + 4 + 4 * 3 + 1 + 8 + 4 + 4 * n + n * 784 + n);
    }

    @Test
    void encodesTheGoldenBytes() {
        assertThat(hex(serializer.serialize("t", GOLDEN))).isEqualTo(GOLDEN_HEX);
        assertThat(deserializer.deserialize("t", unhex(GOLDEN_HEX))).isEqualTo(GOLDEN);
        assertThat(hex(serializer.serialize("t", GOLDEN_V2))).isEqualTo(GOLDEN_V2_HEX);
        assertThat(deserializer.deserialize("t", unhex(GOLDEN_V2_HEX))).isEqualTo(GOLDEN_V2);
    }

    /** Version 1 bytes, written before version 2 existed, still decode to the same batch, with no sampling. */
    @Test
    void version1BytesStillDecodeToTheSameBatch() {
        Minibatch read = deserializer.deserialize("t", unhex(GOLDEN_HEX));
        assertThat(read).isEqualTo(GOLDEN);
        assertThat(read.split()).isEqualTo(Split.TEST);
        assertThat(read.pixels()).containsExactly(GOLDEN.pixels());
        assertThat(read.labels()).containsExactly(3, 9);
        assertThat(read.sampling()).isNull();
    }

    @Test
    void nullInNullOut() {
        assertThat(serializer.serialize("t", null)).isNull();
        assertThat(deserializer.deserialize("t", null)).isNull();
    }

    @Test
    void rejectsADatasetNameLongerThanSixtyFourKilobytes() {
        Minibatch batch = Minibatches.of("€".repeat(21846), Split.TRAIN, 10, 1, 1);
        assertThatThrownBy(() -> serializer.serialize("t", batch)).isInstanceOf(SerializationException.class)
                .hasMessage("minibatch record: field 'dataset' is 65538 bytes of UTF-8, at most 65535 fit");
    }

    /** The batches small enough to try every prefix of. */
    static Stream<Arguments> smallBatches() {
        return batches().filter(a -> serializedLength((Minibatch) a.get()[1]) < 20_000);
    }

    private static int serializedLength(Minibatch batch) {
        return new MinibatchSerializer().serialize("t", batch).length;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallBatches")
    void everyTruncationIsRejected(String name, Minibatch batch) {
        byte[] full = serializer.serialize("t", batch);
        int header = full.length - batch.pixels().length - batch.labels().length;
        long payload = (long) batch.sampleCount() * batch.sampleSize() + batch.sampleCount();
        for (int n = 0; n < full.length; n++) {
            byte[] prefix = Arrays.copyOf(full, n);
            String expected = n < header ? "minibatch record: truncated at field '"
                    : "minibatch record: expected " + payload + " bytes of pixels and labels for "
                    + batch.sampleCount() + " samples of " + batch.sampleSize() + " values, got " + (n - header);
            assertThatThrownBy(() -> deserializer.deserialize("t", prefix)).as("prefix of %d bytes", n)
                    .isInstanceOf(SerializationException.class).hasMessageStartingWith(expected);
        }
    }

    static Stream<Arguments> truncations() {
        return Stream.of(
                Arguments.of(0, "truncated at field 'magic' (offset 0): expected 4 bytes, got 0"),
                Arguments.of(3, "truncated at field 'magic' (offset 0): expected 4 bytes, got 3"),
                Arguments.of(4, "truncated at field 'version' (offset 4): expected 1 bytes, got 0"),
                Arguments.of(5, "truncated at field 'split' (offset 5): expected 1 bytes, got 0"),
                Arguments.of(7, "truncated at field 'rank' (offset 7): expected 1 bytes, got 0"),
                Arguments.of(9, "truncated at field 'dataset.length' (offset 8): expected 2 bytes, got 1"),
                Arguments.of(11, "truncated at field 'dataset' (offset 10): expected 2 bytes, got 1"),
                Arguments.of(13, "truncated at field 'epoch' (offset 12): expected 4 bytes, got 1"),
                Arguments.of(33, "truncated at field 'numClasses' (offset 32): expected 2 bytes, got 1"),
                Arguments.of(37, "truncated at field 'sampleCount' (offset 34): expected 4 bytes, got 3"),
                Arguments.of(49, "truncated at field 'dims[2]' (offset 46): expected 4 bytes, got 3"),
                Arguments.of(50, "expected 10 bytes of pixels and labels for 2 samples of 4 values, got 0"),
                Arguments.of(59, "expected 10 bytes of pixels and labels for 2 samples of 4 values, got 9"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("truncations")
    void truncationNamesTheField(int length, String message) {
        byte[] prefix = Arrays.copyOf(unhex(GOLDEN_HEX), length);
        assertThatThrownBy(() -> deserializer.deserialize("t", prefix)).isInstanceOf(SerializationException.class)
                .hasMessage("minibatch record: " + message);
    }

    static Stream<Arguments> v2Truncations() {
        return Stream.of(
                Arguments.of(49, "truncated at field 'dims[2]' (offset 46): expected 4 bytes, got 3"),
                Arguments.of(50, "truncated at field 'flags' (offset 50): expected 1 bytes, got 0"),
                Arguments.of(55, "truncated at field 'seed' (offset 51): expected 8 bytes, got 4"),
                Arguments.of(60, "truncated at field 'validationSize' (offset 59): expected 4 bytes, got 1"),
                Arguments.of(63, "truncated at field 'sampleIndexes' (offset 63): expected 8 bytes, got 0"),
                Arguments.of(66, "truncated at field 'sampleIndexes' (offset 63): expected 8 bytes, got 3"),
                Arguments.of(71, "expected 10 bytes of pixels and labels for 2 samples of 4 values, got 0"),
                Arguments.of(80, "expected 10 bytes of pixels and labels for 2 samples of 4 values, got 9"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("v2Truncations")
    void truncationOfVersion2NamesTheField(int length, String message) {
        byte[] prefix = Arrays.copyOf(unhex(GOLDEN_V2_HEX), length);
        assertThatThrownBy(() -> deserializer.deserialize("t", prefix)).isInstanceOf(SerializationException.class)
                .hasMessage("minibatch record: " + message);
    }

    // Offsets in the golden record (dataset "ab", 2 bytes of name).
    private static final int SPLIT = 5;
    private static final int DTYPE = 6;
    private static final int RANK = 7;
    private static final int EPOCH = 12;
    private static final int BATCH_INDEX = 20;
    private static final int DATASET_SIZE = 28;
    private static final int NUM_CLASSES = 32;
    private static final int SAMPLE_COUNT = 34;
    private static final int DIMS = 38;
    private static final int LABELS = 58;

    static Stream<Arguments> malformed() {
        byte[] r = unhex(GOLDEN_HEX);
        return Stream.of(
                Arguments.of("bad magic", withU8(r, 0, 'X'), "bad magic: expected 0x53544D42 (\"STMB\"), got "
                        + "0x58544D42; is this topic holding another kind of record?"),
                Arguments.of("snapshot magic", splice(r, 0, 4, "STWS".getBytes(StandardCharsets.US_ASCII)),
                        "bad magic: expected 0x53544D42 (\"STMB\"), got 0x53545753; is this topic holding another"
                                + " kind of record?"),
                Arguments.of("version 0", withU8(r, 4, 0), "unsupported version 0, this reader understands version"
                        + " 1 to 3; upgrade streamtrain to read newer records"),
                Arguments.of("version 4", withU8(r, 4, 4), "unsupported version 4, this reader understands version"
                        + " 1 to 3; upgrade streamtrain to read newer records"),
                Arguments.of("version 1, split 2", withU8(r, SPLIT, 2),
                        "field 'split' must be 0 (train) or 1 (test) in version 1, got 2"),
                Arguments.of("version 1, split 255", withU8(r, SPLIT, 255),
                        "field 'split' must be 0 (train) or 1 (test) in version 1, got 255"),
                Arguments.of("dtype 0", withU8(r, DTYPE, 0), "unsupported dtype code 0, version 1 defines only 1 (uint8)"),
                Arguments.of("dtype 2", withU8(r, DTYPE, 2), "unsupported dtype code 2, version 1 defines only 1 (uint8)"),
                Arguments.of("rank 0", withU8(r, RANK, 0), "field 'rank' must be in [1, 8], got 0"),
                Arguments.of("rank 9", withU8(r, RANK, 9), "field 'rank' must be in [1, 8], got 9"),
                Arguments.of("rank 2 for 3 dims", withU8(r, RANK, 2),
                        "expected 6 bytes of pixels and labels for 2 samples of 2 values, got 14"),
                Arguments.of("dim 0", withI32(r, DIMS + 4, 0), "field 'dims[1]' must be >= 1, got 0"),
                Arguments.of("dim -3", withI32(r, DIMS + 8, -3), "field 'dims[2]' must be >= 1, got -3"),
                Arguments.of("negative sampleCount", withI32(r, SAMPLE_COUNT, -1),
                        "field 'sampleCount' must be >= 0, got -1"),
                Arguments.of("sampleCount too big", withI32(r, SAMPLE_COUNT, 3),
                        "expected 15 bytes of pixels and labels for 3 samples of 4 values, got 10"),
                Arguments.of("trailing byte", append(r, (byte) 0),
                        "expected 10 bytes of pixels and labels for 2 samples of 4 values, got 11"),
                Arguments.of("no samples", withI32(Arrays.copyOf(r, LABELS - 8), SAMPLE_COUNT, 0),
                        "a minibatch holds at least one sample"),
                Arguments.of("label = numClasses", withU8(r, LABELS + 1, 10), "label of sample 1 is 10, outside [0, 10)"),
                Arguments.of("label 255", withU8(r, LABELS, 255), "label of sample 0 is 255, outside [0, 10)"),
                Arguments.of("numClasses 0", withU16(r, NUM_CLASSES, 0), "numClasses must be in [1, 256], got 0"),
                Arguments.of("numClasses 65535", withU16(r, NUM_CLASSES, 0xFFFF),
                        "numClasses must be in [1, 256], got 65535"),
                Arguments.of("epoch 0", withI32(r, EPOCH, 0), "epoch must be in [1, epochs=3], got 0"),
                Arguments.of("batchIndex 4", withI32(r, BATCH_INDEX, 4),
                        "batchIndex must be in [0, batchesPerEpoch=4), got 4"),
                Arguments.of("datasetSize 1", withI32(r, DATASET_SIZE, 1),
                        "datasetSize 1 is smaller than this batch's 2 samples"),
                Arguments.of("empty dataset name", splice(r, 8, 12, new byte[] {0, 0}),
                        "dataset name must not be empty"),
                Arguments.of("dataset length past the end", withU16(r, 8, 0xFFFF),
                        "truncated at field 'dataset' (offset 10): expected 65535 bytes, got 50"),
                Arguments.of("shape overflowing to 0", overflowingShape(),
                        "sampleShape [65536, 65536, 65536, 65536] is too large"));
    }

    // Offsets in the version 2 golden record: as in version 1 up to the dims, then the sampling fields.
    private static final int FLAGS = 50;
    private static final int SEED = 51;
    private static final int VALIDATION_SIZE = 59;
    private static final int SAMPLE_INDEXES = 63;
    private static final int LABELS_V2 = 79;

    static Stream<Arguments> malformedVersion2() {
        byte[] r = unhex(GOLDEN_V2_HEX);
        return Stream.of(
                Arguments.of("split 3", withU8(r, SPLIT, 3),
                        "field 'split' must be 0 (train), 1 (test) or 2 (validation), got 3"),
                Arguments.of("split 255", withU8(r, SPLIT, 255),
                        "field 'split' must be 0 (train), 1 (test) or 2 (validation), got 255"),
                Arguments.of("dtype 2", withU8(r, DTYPE, 2), "unsupported dtype code 2, version 2 defines only 1 (uint8)"),
                Arguments.of("flag bit 2", withU8(r, FLAGS, 0x04), "field 'flags' has unknown bits set: 0x4"),
                Arguments.of("flag bit 7 with known bits", withU8(r, FLAGS, 0x83),
                        "field 'flags' has unknown bits set: 0x83"),
                Arguments.of("negative validationSize", withI32(r, VALIDATION_SIZE, -1),
                        "field 'validationSize' must be >= 0, got -1"),
                Arguments.of("smallest validationSize", withI32(r, VALIDATION_SIZE, Integer.MIN_VALUE),
                        "field 'validationSize' must be >= 0, got -2147483648"),
                Arguments.of("negative sample index", withI32(r, SAMPLE_INDEXES + 4, -1),
                        "sample index 1 is -1, must be >= 0"),
                Arguments.of("index block past the end", withI32(r, SAMPLE_COUNT, 100),
                        "truncated at field 'sampleIndexes' (offset 63): expected 400 bytes, got 18"),
                Arguments.of("index block of impossible length", withI32(r, SAMPLE_COUNT, 1 << 30),
                        "field 'sampleIndexes' has impossible length 4294967296"),
                Arguments.of("sampleCount one too many", withI32(r, SAMPLE_COUNT, 3),
                        "expected 15 bytes of pixels and labels for 3 samples of 4 values, got 6"),
                Arguments.of("trailing byte", append(r, (byte) 0),
                        "expected 10 bytes of pixels and labels for 2 samples of 4 values, got 11"),
                Arguments.of("label = numClasses", withU8(r, LABELS_V2 + 1, 10),
                        "label of sample 1 is 10, outside [0, 10)"),
                Arguments.of("no samples", withI32(splice(r, SAMPLE_INDEXES, r.length, new byte[0]), SAMPLE_COUNT, 0),
                        "a minibatch holds at least one sample"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVersion2")
    void rejectsMalformedVersion2Records(String name, byte[] record, String message) {
        assertThatThrownBy(() -> deserializer.deserialize("t", record)).isInstanceOf(SerializationException.class)
                .hasMessage("minibatch record: " + message);
    }

    @Test
    void aVersion2RecordMayHoldEveryFlagSeedAndSplit() {
        byte[] r = unhex(GOLDEN_V2_HEX);
        assertThat(deserializer.deserialize("t", withU8(r, FLAGS, 0)).sampling())
                .isEqualTo(new Sampling(false, false, 42, 3));
        assertThat(deserializer.deserialize("t", withU8(r, FLAGS, 1)).sampling())
                .isEqualTo(new Sampling(true, false, 42, 3));
        assertThat(deserializer.deserialize("t", withU8(r, FLAGS, 2)).sampling())
                .isEqualTo(new Sampling(false, true, 42, 3));
        assertThat(deserializer.deserialize("t", WireBytes.withI64(r, SEED, -1)).sampling().seed()).isEqualTo(-1);
        assertThat(deserializer.deserialize("t", withU8(r, SPLIT, 0)).split()).isEqualTo(Split.TRAIN);
        assertThat(deserializer.deserialize("t", withU8(r, SPLIT, 1)).split()).isEqualTo(Split.TEST);
    }

    /** One sample whose dims multiply to 2^64, which wraps to 0 in a long: only a label byte follows. */
    private static byte[] overflowingShape() {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 2 + 2 + 20 + 2 + 4 + 16 + 1);
        b.put("STMB".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).put((byte) 1).put((byte) 4);
        b.putShort((short) 2).put("ab".getBytes(StandardCharsets.US_ASCII));
        b.putInt(1).putInt(1).putInt(0).putInt(1).putInt(1).putShort((short) 10).putInt(1);
        b.putInt(65536).putInt(65536).putInt(65536).putInt(65536).put((byte) 0);
        return b.array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedRecords(String name, byte[] record, String message) {
        assertThatThrownBy(() -> deserializer.deserialize("t", record)).isInstanceOf(SerializationException.class)
                .hasMessage("minibatch record: " + message);
    }
}
