package dev.streamtrain.contracts.wire;

import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.run.RunSpecJson;
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
import static dev.streamtrain.contracts.wire.WireBytes.splice;
import static dev.streamtrain.contracts.wire.WireBytes.withI32;
import static dev.streamtrain.contracts.wire.WireBytes.withI64;
import static dev.streamtrain.contracts.wire.WireBytes.withU8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeightSnapshotDeserializerTest {

    private static final WeightSnapshotDeserializer DESERIALIZER = new WeightSnapshotDeserializer();
    private static final String PREFIX = "weight snapshot record: ";
    private static final WeightSnapshot BASIC = Snapshots.basic();
    private static final byte[] RECORD = new WeightSnapshotSerializer().serialize("t", BASIC);
    private static final String SPEC_JSON = RunSpecJson.write(BASIC.spec());

    // Offsets in RECORD: runId "run-1" (5 bytes), one offset on "streamtrain.minibatches" (23 bytes),
    // layout w [3, 2], b [2]; 8 parameters, no updater state.
    private static final int FLAGS = 5;
    private static final int RUN_ID = 8; // its bytes; the u16 length is at 6
    private static final int SPEC_LENGTH = 13;
    private static final int SPEC = 17;
    private static final int EPOCH = SPEC + SPEC_JSON.length();
    private static final int TRAIN_LOSS_SUM = EPOCH + 4 + 8 + 8 + 8;
    private static final int TRAIN_LOSS_BATCHES = TRAIN_LOSS_SUM + 8;
    private static final int TRAIN_CORRECT = TRAIN_LOSS_BATCHES + 4;
    private static final int TRAIN_SAMPLES = TRAIN_CORRECT + 8;
    private static final int OFFSET_COUNT = TRAIN_SAMPLES + 8;
    private static final int PARTITION = OFFSET_COUNT + 2 + 2 + 23;
    private static final int TENSOR_COUNT = PARTITION + 4 + 8;
    private static final int W_NAME = TENSOR_COUNT + 2;
    private static final int W_RANK = W_NAME + 2 + 1;
    private static final int PARAMETER_COUNT = TENSOR_COUNT + 2 + (2 + 1 + 1 + 8) + (2 + 1 + 1 + 4);
    private static final int PARAMETERS = PARAMETER_COUNT + 8;
    private static final int UPDATER_COUNT = PARAMETERS + 8 * 4;
    private static final int SHA = UPDATER_COUNT + 8;

    @Test
    void offsetsOfTheFixtureAreRight() {
        assertThat(SHA + 32).isEqualTo(RECORD.length);
        assertThat(ByteBuffer.wrap(RECORD).getLong(PARAMETER_COUNT)).isEqualTo(8);
        assertThat(ByteBuffer.wrap(RECORD).getInt(PARTITION + 4 + 4)).isEqualTo(640); // low half of nextOffset
        assertThat(ByteBuffer.wrap(RECORD).getDouble(TRAIN_LOSS_SUM)).isEqualTo(9.25);
        assertThat(ByteBuffer.wrap(RECORD).getInt(TRAIN_LOSS_BATCHES)).isEqualTo(4);
        assertThat(ByteBuffer.wrap(RECORD).getLong(TRAIN_CORRECT)).isEqualTo(200);
        assertThat(ByteBuffer.wrap(RECORD).getLong(TRAIN_SAMPLES)).isEqualTo(256);
        assertThat(RECORD[4]).isEqualTo((byte) 3);
        assertThat(DESERIALIZER.deserialize("t", RECORD)).isEqualTo(BASIC);
    }

    /** A version 2 record is a version 3 record without the train accuracy fields. */
    private static byte[] version2() {
        return withU8(splice(RECORD, TRAIN_CORRECT, OFFSET_COUNT, new byte[0]), 4, 2);
    }

    /** A version 1 record is a version 2 record without the train loss fields. */
    private static byte[] version1() {
        return withU8(splice(RECORD, TRAIN_LOSS_SUM, OFFSET_COUNT, new byte[0]), 4, 1);
    }

    @Test
    void readsVersion2RecordsWithAnUnknownTrainAccuracy() {
        WeightSnapshot decoded = DESERIALIZER.deserialize("t", version2());
        assertThat(version2()).hasSize(RECORD.length - 16);
        assertThat(decoded.trainAccuracy()).isEqualTo(EpochAccuracy.UNKNOWN);
        assertThat(decoded.trainAccuracy().known()).isFalse();
        assertThat(decoded.trainAccuracy().mean()).isNaN();
        assertThat(decoded.trainLoss()).isEqualTo(Snapshots.BASIC_LOSS);
        assertThat(decoded).usingRecursiveComparison().ignoringFields("trainAccuracy").isEqualTo(BASIC);
    }

    @Test
    void readsVersion1RecordsWithAnUnknownTrainLossAndAccuracy() {
        WeightSnapshot decoded = DESERIALIZER.deserialize("t", version1());
        assertThat(version1()).hasSize(RECORD.length - 28);
        assertThat(decoded.trainLoss()).isEqualTo(EpochLoss.UNKNOWN);
        assertThat(decoded.trainLoss().mean()).isNaN();
        assertThat(decoded.trainAccuracy()).isEqualTo(EpochAccuracy.UNKNOWN);
        assertThat(decoded).usingRecursiveComparison().ignoringFields("trainLoss", "trainAccuracy").isEqualTo(BASIC);
    }

    /** Version 2 and 1 records are read with the layout of their version: a truncation names their fields. */
    @Test
    void olderVersionsAreTruncatedAtTheirOwnFields() {
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", Arrays.copyOf(version2(), TRAIN_CORRECT + 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessage(PREFIX + "truncated at field 'offsetCount' (offset " + TRAIN_CORRECT
                        + "): expected 2 bytes, got 1");
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", Arrays.copyOf(version1(), TRAIN_LOSS_SUM + 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessage(PREFIX + "truncated at field 'offsetCount' (offset " + TRAIN_LOSS_SUM
                        + "): expected 2 bytes, got 1");
    }

    /** A version 3 writer that does not know the epoch's accuracy (resumed from an older snapshot) writes 0 of -1. */
    @Test
    void readsAnUnknownTrainAccuracyInVersion3() {
        byte[] unknown = withI64(withI64(RECORD, TRAIN_CORRECT, 0), TRAIN_SAMPLES, -1);
        assertThat(DESERIALIZER.deserialize("t", unknown).trainAccuracy()).isEqualTo(EpochAccuracy.UNKNOWN);
    }

    @Test
    void nullInNullOut() {
        assertThat(DESERIALIZER.deserialize("t", null)).isNull();
    }

    @Test
    void everyTruncationIsRejected() {
        for (int n = 0; n < RECORD.length; n++) {
            byte[] prefix = Arrays.copyOf(RECORD, n);
            assertThatThrownBy(() -> DESERIALIZER.deserialize("t", prefix)).as("prefix of %d bytes", n)
                    .isInstanceOf(SerializationException.class)
                    .hasMessageStartingWith(PREFIX + "truncated at field '");
        }
    }

    static Stream<Arguments> truncations() {
        return Stream.of(
                Arguments.of(0, "truncated at field 'magic' (offset 0): expected 4 bytes, got 0"),
                Arguments.of(5, "truncated at field 'flags' (offset 5): expected 1 bytes, got 0"),
                Arguments.of(9, "truncated at field 'runId' (offset 8): expected 5 bytes, got 1"),
                Arguments.of(SPEC + 3, "truncated at field 'spec' (offset " + SPEC + "): expected "
                        + SPEC_JSON.length() + " bytes, got 3"),
                Arguments.of(PARAMETERS + 5, "truncated at field 'parameters' (offset " + PARAMETERS
                        + "): expected 32 bytes, got 5"),
                Arguments.of(TRAIN_LOSS_SUM + 7, "truncated at field 'trainLossSum' (offset " + TRAIN_LOSS_SUM
                        + "): expected 8 bytes, got 7"),
                Arguments.of(TRAIN_LOSS_BATCHES + 2, "truncated at field 'trainLossBatches' (offset "
                        + TRAIN_LOSS_BATCHES + "): expected 4 bytes, got 2"),
                Arguments.of(TRAIN_CORRECT, "truncated at field 'trainCorrect' (offset " + TRAIN_CORRECT
                        + "): expected 8 bytes, got 0"),
                Arguments.of(TRAIN_SAMPLES + 7, "truncated at field 'trainSamples' (offset " + TRAIN_SAMPLES
                        + "): expected 8 bytes, got 7"),
                Arguments.of(OFFSET_COUNT + 1, "truncated at field 'offsetCount' (offset " + OFFSET_COUNT
                        + "): expected 2 bytes, got 1"),
                Arguments.of(UPDATER_COUNT, "truncated at field 'updaterCount' (offset " + UPDATER_COUNT
                        + "): expected 8 bytes, got 0"),
                Arguments.of(RECORD.length - 1, "truncated at field 'sha256' (offset " + SHA
                        + "): expected 32 bytes, got 31"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("truncations")
    void truncationNamesTheField(int length, String message) {
        byte[] prefix = Arrays.copyOf(RECORD, length);
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", prefix)).isInstanceOf(SerializationException.class)
                .hasMessage(PREFIX + message);
    }

    private static byte[] withSpec(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        byte[] field = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
        return splice(RECORD, SPEC_LENGTH, EPOCH, field);
    }

    static Stream<Arguments> malformed() {
        byte[] flippedParameter = withU8(RECORD, PARAMETERS + 5, RECORD[PARAMETERS + 5] ^ 0x01);
        byte[] flippedSha = withU8(RECORD, SHA + 31, RECORD[SHA + 31] ^ 0x80);
        String original = BASIC.parametersSha256();
        String flippedHash = Snapshots.sha256(Arrays.copyOfRange(flippedParameter, PARAMETERS, PARAMETERS + 32));
        String storedFlipped = WireBytes.hex(Arrays.copyOfRange(flippedSha, SHA, SHA + 32)).toLowerCase();
        return Stream.of(
                Arguments.of("minibatch magic", splice(RECORD, 0, 4, "STMB".getBytes(StandardCharsets.US_ASCII)),
                        "bad magic: expected 0x53545753 (\"STWS\"), got 0x53544D42; is this topic holding another"
                                + " kind of record?"),
                Arguments.of("version 5", withU8(RECORD, 4, 5), "unsupported version 5, this reader understands"
                        + " version 1 to 4; upgrade streamtrain to read newer records"),
                Arguments.of("version 0", withU8(RECORD, 4, 0), "unsupported version 0, this reader understands"
                        + " version 1 to 4; upgrade streamtrain to read newer records"),
                Arguments.of("negative train loss batches", withI32(RECORD, TRAIN_LOSS_BATCHES, -1),
                        "train loss batches must be >= 0, got -1"),
                Arguments.of("more correct than counted", withI64(RECORD, TRAIN_CORRECT, 257),
                        "train accuracy must count 0 <= correct <= samples (or be unknown: 0 of -1), got 257 of 256"),
                Arguments.of("negative correct", withI64(RECORD, TRAIN_CORRECT, -1),
                        "train accuracy must count 0 <= correct <= samples (or be unknown: 0 of -1), got -1 of 256"),
                Arguments.of("train samples -2", withI64(RECORD, TRAIN_SAMPLES, -2),
                        "train accuracy must count 0 <= correct <= samples (or be unknown: 0 of -1), got 200 of -2"),
                Arguments.of("unknown samples but some correct", withI64(RECORD, TRAIN_SAMPLES, -1),
                        "train accuracy must count 0 <= correct <= samples (or be unknown: 0 of -1), got 200 of -1"),
                Arguments.of("flag bit 2", withU8(RECORD, FLAGS, 0x04), "field 'flags' has unknown bits set: 0x4"),
                Arguments.of("flag bit 7 with known bits", withU8(RECORD, FLAGS, 0x83),
                        "field 'flags' has unknown bits set: 0x83"),
                Arguments.of("runId differs from spec", withU8(RECORD, RUN_ID + 4, '2'),
                        "snapshot runId 'run-2' differs from its spec's runId 'run-1'"),
                Arguments.of("spec fails validation", withSpec(SPEC_JSON.replace("\"epochs\":5", "\"epochs\":-1")),
                        "field 'spec': run spec is not valid: epochs must be >= 1, or 0 for a run on an open stream, "
                                + "got -1"),
                Arguments.of("spec with invalid optimizer", withSpec(SPEC_JSON.replace("\"momentum\":0.0",
                                "\"momentum\":-1.0")),
                        "field 'spec': run spec is not valid: sgd: momentum must be a finite number >= 0, got -1.0"),
                Arguments.of("spec missing a field", withSpec(SPEC_JSON.replace("\"topics\"", "\"topicz\"")),
                        "field 'spec': run spec is not valid: topics"),
                Arguments.of("negative spec length", withI32(RECORD, SPEC_LENGTH, -1),
                        "field 'spec.length' must be >= 0, got -1"),
                Arguments.of("epoch 0", withI32(RECORD, EPOCH, 0),
                        "epoch must be >= 1 and step, samplesSeen >= 0; got epoch 0, step 10, samplesSeen 640"),
                Arguments.of("negative partition", withI32(RECORD, PARTITION, -1), "partition must be >= 0, got -1"),
                Arguments.of("negative nextOffset", withI64(RECORD, PARTITION + 4, -1),
                        "nextOffset must be >= 0, got -1"),
                Arguments.of("tensor rank 0", withU8(RECORD, W_RANK, 0), "field 'layout[0].rank' must be in [1, 8],"
                        + " got 0"),
                Arguments.of("tensor rank 9", withU8(RECORD, W_RANK, 9), "field 'layout[0].rank' must be in [1, 8],"
                        + " got 9"),
                Arguments.of("tensor dimension 0", withI32(RECORD, W_RANK + 1 + 4, 0),
                        "tensor 'w' has a dimension < 1: [3, 0]"),
                Arguments.of("empty tensor name", splice(RECORD, W_NAME, W_NAME + 3, new byte[] {0, 0}),
                        "tensor name must not be empty"),
                Arguments.of("parameterCount one too many", withI64(RECORD, PARAMETER_COUNT, 9),
                        "field 'parameterCount' is 9 but the layout holds 8 values"),
                Arguments.of("parameterCount negative", withI64(RECORD, PARAMETER_COUNT, -1),
                        "field 'parameterCount' is -1 but the layout holds 8 values"),
                Arguments.of("negative updaterCount", withI64(RECORD, UPDATER_COUNT, -1),
                        "field 'updaterState' has impossible float count -1"),
                Arguments.of("updaterCount past the end", withI64(RECORD, UPDATER_COUNT, 9),
                        "truncated at field 'updaterState' (offset " + SHA + "): expected 36 bytes, got 32"),
                Arguments.of("one parameter byte flipped", flippedParameter, "checksum mismatch: record says SHA-256 "
                        + original + " but its parameters hash to " + flippedHash + "; the record is corrupt"),
                Arguments.of("one checksum byte flipped", flippedSha, "checksum mismatch: record says SHA-256 "
                        + storedFlipped + " but its parameters hash to " + original + "; the record is corrupt"),
                Arguments.of("trailing byte", append(RECORD, (byte) 0), "1 unexpected trailing bytes after the last"
                        + " field"),
                Arguments.of("trailing bytes", append(RECORD, new byte[7]), "7 unexpected trailing bytes after the"
                        + " last field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedRecords(String name, byte[] record, String message) {
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", record)).isInstanceOf(SerializationException.class)
                .hasMessage(PREFIX + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "", "[]", "\"a string\"", "{\"runId\":"})
    void rejectsInvalidSpecJson(String json) {
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", withSpec(json)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith(PREFIX + "field 'spec': run spec is not valid: ");
    }

    @Test
    void ignoresUnknownSpecFields() {
        String newer = SPEC_JSON.replace("{\"runId\"", "{\"curriculum\":{\"warmup\":3},\"runId\"")
                .replace("\"mathThreads\":1", "\"mathThreads\":1,\"gpu\":\"none\"");
        WeightSnapshot decoded = DESERIALIZER.deserialize("t", withSpec(newer));
        assertThat(decoded.spec()).isEqualTo(RunSpecFixture.spec());
        assertThat(decoded).isEqualTo(BASIC);
    }

    @Test
    void rejectsNullSpecJson() {
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", withSpec("null")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("spec");
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, 1L << 62, (1L << 62) + 1, 1L << 61})
    void rejectsAnImpossibleUpdaterCount(long count) {
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", withI64(RECORD, UPDATER_COUNT, count)))
                .isInstanceOf(SerializationException.class)
                .hasMessage(PREFIX + "field 'updaterState' has impossible float count " + count);
    }

    @Test
    void rejectsALayoutWhoseSizeOverflows() {
        // one tensor w [65536, 65536, 65536, 65536]: 2^64 values, which wraps to 0 in a long
        ByteBuffer tail = ByteBuffer.allocate(2 + 2 + 1 + 1 + 16 + 8 + 8 + 32);
        tail.putShort((short) 1).putShort((short) 1).put((byte) 'w').put((byte) 4);
        tail.putInt(65536).putInt(65536).putInt(65536).putInt(65536);
        tail.putLong(0).putLong(0).put(WireBytes.unhex(Snapshots.sha256(new byte[0])));
        byte[] record = splice(RECORD, TENSOR_COUNT, RECORD.length, tail.array());
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", record)).isInstanceOf(SerializationException.class);
    }
}
