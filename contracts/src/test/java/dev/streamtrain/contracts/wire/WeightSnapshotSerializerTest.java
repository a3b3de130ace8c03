package dev.streamtrain.contracts.wire;

import dev.streamtrain.model.TensorLayout;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WeightSnapshotSerializerTest {

    private static final RunSpec SPEC = RunSpecFixture.spec();
    private final WeightSnapshotSerializer serializer = new WeightSnapshotSerializer();
    private final WeightSnapshotDeserializer deserializer = new WeightSnapshotDeserializer();

    private static float[] ramp(int n, float scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (i - n / 2f) * scale;
        }
        return values;
    }

    static Stream<Arguments> snapshots() {
        List<TensorLayout> ranks = List.of(new TensorLayout("r1", new int[] {3}),
                new TensorLayout("r2", new int[] {2, 3}), new TensorLayout("r3", new int[] {2, 1, 2}),
                new TensorLayout("r8", new int[] {1, 1, 1, 1, 1, 1, 1, 2}));
        List<ConsumedOffset> three = List.of(new ConsumedOffset("streamtrain.minibatches", 0, 0),
                new ConsumedOffset("streamtrain.minibatches", 7, Long.MAX_VALUE),
                new ConsumedOffset("other", Integer.MAX_VALUE, 12));
        List<TensorLayout> special = List.of(new TensorLayout("s", new int[] {Snapshots.specialFloats().length}));
        return Stream.of(
                Arguments.of("basic, empty updater", Snapshots.basic()),
                Arguments.of("non-empty updater", Snapshots.of(SPEC, false, false, Snapshots.OFFSETS,
                        Snapshots.LAYOUT, ramp(8, 0.25f), ramp(16, -1e-4f))),
                Arguments.of("NaN, Infinity, -0.0 parameters and updater", Snapshots.of(SPEC, false, false,
                        Snapshots.OFFSETS, special, Snapshots.specialFloats(), Snapshots.specialFloats())),
                Arguments.of("epoch end", Snapshots.of(SPEC, true, false, Snapshots.OFFSETS, Snapshots.LAYOUT,
                        ramp(8, 1), new float[0])),
                Arguments.of("final", Snapshots.of(SPEC, false, true, Snapshots.OFFSETS, Snapshots.LAYOUT,
                        ramp(8, 1), new float[0])),
                Arguments.of("epoch end and final", Snapshots.of(SPEC, true, true, Snapshots.OFFSETS,
                        Snapshots.LAYOUT, ramp(8, 1), new float[0])),
                Arguments.of("no offsets", Snapshots.of(SPEC, false, false, List.of(), Snapshots.LAYOUT, ramp(8, 1),
                        new float[0])),
                Arguments.of("three offsets", Snapshots.of(SPEC, false, false, three, Snapshots.LAYOUT, ramp(8, 1),
                        new float[] {1})),
                Arguments.of("ranks 1, 2, 3 and 8", Snapshots.of(SPEC, false, false, Snapshots.OFFSETS, ranks,
                        ramp(15, 0.5f), new float[0])),
                Arguments.of("no tensors", Snapshots.of(SPEC, false, false, Snapshots.OFFSETS, List.of(),
                        new float[0], new float[0])),
                Arguments.of("unicode spec and tensor names", Snapshots.of(RunSpecFixture.unicodeSpec("run-7"),
                        false, false, List.of(new ConsumedOffset("tópico-ü", 1, 2)),
                        List.of(new TensorLayout("dense·0.W→ü😀", new int[] {2})), ramp(2, 1), new float[0])),
                Arguments.of("extreme positions", WeightSnapshot.of(SPEC, Integer.MAX_VALUE, Long.MAX_VALUE,
                        Long.MAX_VALUE, Long.MIN_VALUE, true, true, new EpochLoss(-Double.MAX_VALUE, Integer.MAX_VALUE),
                        new EpochAccuracy(Long.MAX_VALUE, Long.MAX_VALUE), List.of(), Snapshots.LAYOUT, ramp(8, 1),
                        new float[0])),
                Arguments.of("train accuracy unknown", WeightSnapshot.of(SPEC, 3, 7, 448, 0, false, false,
                        new EpochLoss(4.5, 2), EpochAccuracy.UNKNOWN, Snapshots.OFFSETS, Snapshots.LAYOUT, ramp(8, 1),
                        new float[0])),
                Arguments.of("nothing counted yet", WeightSnapshot.of(SPEC, 3, 7, 448, 0, false, false,
                        EpochLoss.NONE, EpochAccuracy.NONE, Snapshots.OFFSETS, Snapshots.LAYOUT, ramp(8, 1),
                        new float[0])),
                Arguments.of("train loss unknown", WeightSnapshot.of(SPEC, 3, 7, 448, 0, false, false,
                        EpochLoss.UNKNOWN, Snapshots.OFFSETS, Snapshots.LAYOUT, ramp(8, 1), new float[0])),
                Arguments.of("diverged train loss", WeightSnapshot.of(SPEC, 3, 7, 448, 0, false, false,
                        new EpochLoss(Double.POSITIVE_INFINITY, 2), Snapshots.OFFSETS, Snapshots.LAYOUT, ramp(8, 1),
                        new float[0])),
                Arguments.of("tutorial MLP size", Snapshots.of(SPEC, false, false, Snapshots.OFFSETS,
                        List.of(new TensorLayout("0.W", new int[] {784, 512}), new TensorLayout("0.b", new int[] {512})),
                        ramp(784 * 512 + 512, 1e-3f), new float[0])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void roundTripsBitForBit(String name, WeightSnapshot snapshot) {
        WeightSnapshot back = deserializer.deserialize("t", serializer.serialize("t", snapshot));
        assertThat(back).isEqualTo(snapshot);
        assertThat(Snapshots.rawBits(back.parameters())).isEqualTo(Snapshots.rawBits(snapshot.parameters()));
        assertThat(Snapshots.rawBits(back.updaterState())).isEqualTo(Snapshots.rawBits(snapshot.updaterState()));
        assertThat(back.parametersSha256()).isEqualTo(Snapshots.sha256(snapshot.parameters()));
        assertThat(back.epochEnd()).isEqualTo(snapshot.epochEnd());
        assertThat(back.finalSnapshot()).isEqualTo(snapshot.finalSnapshot());
        assertThat(back.offsets()).containsExactlyElementsOf(snapshot.offsets());
        assertThat(back.layout()).containsExactlyElementsOf(snapshot.layout());
        assertThat(Double.doubleToRawLongBits(back.trainLoss().sum()))
                .isEqualTo(Double.doubleToRawLongBits(snapshot.trainLoss().sum()));
        assertThat(back.trainLoss().batches()).isEqualTo(snapshot.trainLoss().batches());
        assertThat(back.trainAccuracy()).isEqualTo(snapshot.trainAccuracy());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void encodesToTheDocumentedSize(String name, WeightSnapshot s) {
        long expected = 4 + 1 + 1 + 2 + utf8(s.runId()) + 4 + utf8(RunSpecJson.write(s.spec())) + 4 + 8 + 8 + 8
                + 8 + 4 + 8 + 8 + 2 + 2 + 8 + 4L * s.parameters().length + 8 + 4L * s.updaterState().length + 32;
        for (ConsumedOffset o : s.offsets()) {
            expected += 2 + utf8(o.topic()) + 4 + 8;
        }
        for (TensorLayout t : s.layout()) {
            expected += 2 + utf8(t.name()) + 1 + 4L * t.shape().length;
        }
        assertThat(serializer.serialize("t", s)).hasSize((int) expected);
    }

    @Test
    void basicSnapshotHasTheHandCountedSize() {
        int spec = RunSpecJson.write(SPEC).getBytes(StandardCharsets.UTF_8).length;
        // header 4+1+1, runId 2+5, spec 4+spec, positions 4+8+8+8, train loss 8+4, train accuracy 8+8,
        // offsets 2+(2+23+4+8), layout 2+(2+1+1+8)+(2+1+1+4), parameters 8+32, updater 8, sha256 32
        assertThat(serializer.serialize("t", Snapshots.basic()))
                .hasSize(6 + 7 + 4 + spec + 28 + 12 + 16 + 39 + 22 + 40 + 8 + 32);
    }

    /** Reads the record with a plain ByteBuffer, following the serializer's Javadoc field by field. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void followsTheDocumentedLayout(String name, WeightSnapshot s) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(serializer.serialize("t", s)).order(ByteOrder.BIG_ENDIAN);
        assertThat(string(in, 4)).isEqualTo("STWS");
        assertThat(in.get()).isEqualTo((byte) 3);
        assertThat(in.get()).isEqualTo((byte) ((s.epochEnd() ? 1 : 0) | (s.finalSnapshot() ? 2 : 0)));
        assertThat(string(in, in.getShort() & 0xFFFF)).isEqualTo(s.runId());
        assertThat(string(in, in.getInt())).isEqualTo(RunSpecJson.write(s.spec()));
        assertThat(in.getInt()).isEqualTo(s.epoch());
        assertThat(in.getLong()).isEqualTo(s.step());
        assertThat(in.getLong()).isEqualTo(s.samplesSeen());
        assertThat(in.getLong()).isEqualTo(s.createdAtMillis());
        assertThat(Double.doubleToRawLongBits(in.getDouble()))
                .isEqualTo(Double.doubleToRawLongBits(s.trainLoss().sum()));
        assertThat(in.getInt()).isEqualTo(s.trainLoss().batches());
        assertThat(in.getLong()).isEqualTo(s.trainAccuracy().correct());
        assertThat(in.getLong()).isEqualTo(s.trainAccuracy().samples());
        assertThat(in.getShort() & 0xFFFF).isEqualTo(s.offsets().size());
        for (ConsumedOffset o : s.offsets()) {
            assertThat(new ConsumedOffset(string(in, in.getShort() & 0xFFFF), in.getInt(), in.getLong())).isEqualTo(o);
        }
        assertThat(in.getShort() & 0xFFFF).isEqualTo(s.layout().size());
        for (TensorLayout t : s.layout()) {
            assertThat(string(in, in.getShort() & 0xFFFF)).isEqualTo(t.name());
            int[] dims = new int[in.get() & 0xFF];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.getInt();
            }
            assertThat(dims).containsExactly(t.shape());
        }
        assertThat(in.getLong()).isEqualTo(s.parameters().length);
        byte[] parameterBytes = new byte[s.parameters().length * 4];
        in.get(parameterBytes);
        assertThat(parameterBytes).isEqualTo(Snapshots.littleEndianBytes(s.parameters()));
        assertThat(in.getLong()).isEqualTo(s.updaterState().length);
        byte[] updaterBytes = new byte[s.updaterState().length * 4];
        in.get(updaterBytes);
        assertThat(updaterBytes).isEqualTo(Snapshots.littleEndianBytes(s.updaterState()));
        byte[] sha = new byte[32];
        in.get(sha);
        assertThat(HexFormat.of().formatHex(sha)).isEqualTo(Snapshots.sha256(parameterBytes));
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void writesFloatsLittleEndian() {
        WeightSnapshot s = Snapshots.of(SPEC, false, false, List.of(), List.of(new TensorLayout("w", new int[] {2})),
                new float[] {1f, -2f}, new float[] {0.5f});
        byte[] bytes = serializer.serialize("t", s);
        byte[] tail = Arrays.copyOfRange(bytes, bytes.length - 32 - 12 - 8 - 8, bytes.length - 32);
        assertThat(WireBytes.hex(tail)).isEqualTo("0000000000000002" + "0000803F" + "000000C0"
                + "0000000000000001" + "0000003F");
    }

    @Test
    void nullInNullOut() {
        assertThat(serializer.serialize("t", null)).isNull();
        assertThat(deserializer.deserialize("t", null)).isNull();
    }

    @Test
    void refusesToWriteASnapshotWhoseChecksumIsWrong() {
        String wrong = "0".repeat(64);
        WeightSnapshot s = new WeightSnapshot("run-1", SPEC, 1, 0, 0, 0, false, false, EpochLoss.NONE, List.of(),
                Snapshots.LAYOUT, new float[8], new float[0], wrong);
        assertThatIllegalStateException().isThrownBy(() -> serializer.serialize("t", s))
                .withMessage("snapshot checksum " + wrong + " does not match its parameters ("
                        + Snapshots.sha256(new float[8]) + ")");
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String string(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
