package dev.streamtrain.contracts.wire;

import dev.streamtrain.model.TensorLayout;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeightSnapshotTest {

    private static final RunSpec SPEC = RunSpecFixture.spec();
    private static final String SHA_OF_NOTHING = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final List<TensorLayout> THREE = List.of(new TensorLayout("w1", new int[] {2, 3}),
            new TensorLayout("b1", new int[] {3}), new TensorLayout("w2", new int[] {3, 1}));

    private static float[] range(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    static Stream<float[]> parameterSets() {
        return Stream.of(new float[0], new float[] {1f}, range(12), Snapshots.specialFloats(), range(100_000));
    }

    @ParameterizedTest
    @MethodSource("parameterSets")
    void sha256MatchesAnIndependentDigest(float[] values) {
        assertThat(WeightSnapshot.sha256(values)).isEqualTo(Snapshots.sha256(values))
                .isEqualTo(Snapshots.sha256(Snapshots.littleEndianBytes(values))).matches("[0-9a-f]{64}");
    }

    @Test
    void sha256OfNoParametersIsTheEmptyDigest() {
        assertThat(WeightSnapshot.sha256(new float[0])).isEqualTo(SHA_OF_NOTHING);
    }

    @Test
    void sha256HashesRawBits() {
        assertThat(WeightSnapshot.sha256(new float[] {-0.0f})).isNotEqualTo(WeightSnapshot.sha256(new float[] {0.0f}));
        assertThat(WeightSnapshot.sha256(new float[] {Float.intBitsToFloat(0x7FC00123)}))
                .isNotEqualTo(WeightSnapshot.sha256(new float[] {Float.NaN}));
        // little-endian: 1.0f is 00 00 80 3F on the wire, not 3F 80 00 00
        assertThat(WeightSnapshot.sha256(new float[] {1f}))
                .isEqualTo(Snapshots.sha256(new byte[] {0, 0, (byte) 0x80, 0x3F}));
    }

    @Test
    void ofComputesTheChecksum() {
        WeightSnapshot s = Snapshots.basic();
        assertThat(s.parametersSha256()).isEqualTo(Snapshots.sha256(s.parameters()));
        assertThat(s.runId()).isEqualTo("run-1");
        assertThat(s.spec()).isEqualTo(SPEC);
    }

    @Test
    void tensorSlicesItsValuesInLayoutOrder() {
        WeightSnapshot s = Snapshots.of(SPEC, false, false, List.of(), THREE, range(12), new float[0]);
        assertThat(s.tensor("w1")).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(s.tensor("b1")).containsExactly(6, 7, 8);
        assertThat(s.tensor("w2")).containsExactly(9, 10, 11);
    }

    @Test
    void tensorReturnsACopy() {
        WeightSnapshot s = Snapshots.of(SPEC, false, false, List.of(), THREE, range(12), new float[0]);
        s.tensor("b1")[0] = 99;
        assertThat(s.tensor("b1")).containsExactly(6, 7, 8);
        assertThat(s.parameters()[6]).isEqualTo(6f);
    }

    @Test
    void tensorRejectsAnUnknownName() {
        WeightSnapshot s = Snapshots.of(SPEC, false, false, List.of(), THREE, range(12), new float[0]);
        assertThatIllegalArgumentException().isThrownBy(() -> s.tensor("w3"))
                .withMessage("no tensor 'w3' in layout [w1 [2, 3], b1 [3], w2 [3, 1]]");
    }

    @Test
    void rejectsARunIdOtherThanItsSpecs() {
        assertThatIllegalArgumentException().isThrownBy(() -> new WeightSnapshot("run-2", SPEC, 1, 0, 0, 0, false,
                false, EpochLoss.NONE, List.of(), List.of(), new float[0], new float[0], SHA_OF_NOTHING))
                .withMessage("snapshot runId 'run-2' differs from its spec's runId 'run-1'");
    }

    @Test
    void rejectsNegativePositions() {
        assertThatIllegalArgumentException().isThrownBy(() -> WeightSnapshot.of(SPEC, 0, 0, 0, 0, false, false,
                EpochLoss.NONE, List.of(), List.of(), new float[0], new float[0]))
                .withMessage("epoch must be >= 1 and step, samplesSeen >= 0; got epoch 0, step 0, samplesSeen 0");
        assertThatIllegalArgumentException().isThrownBy(() -> WeightSnapshot.of(SPEC, 1, -1, 0, 0, false, false,
                EpochLoss.NONE, List.of(), List.of(), new float[0], new float[0]))
                .withMessage("epoch must be >= 1 and step, samplesSeen >= 0; got epoch 1, step -1, samplesSeen 0");
        assertThatIllegalArgumentException().isThrownBy(() -> WeightSnapshot.of(SPEC, 1, 0, -5, 0, false, false,
                EpochLoss.NONE, List.of(), List.of(), new float[0], new float[0]))
                .withMessage("epoch must be >= 1 and step, samplesSeen >= 0; got epoch 1, step 0, samplesSeen -5");
    }

    @Test
    void rejectsParametersThatDoNotFillTheLayout() {
        assertThatIllegalArgumentException().isThrownBy(() -> WeightSnapshot.of(SPEC, 1, 0, 0, 0, false, false,
                EpochLoss.NONE, List.of(), List.of(new TensorLayout("w", new int[] {2})), new float[3], new float[0]))
                .withMessage("layout [w [2]] holds 2 values but 3 parameters were given");
    }

    @Test
    void rejectsAChecksumThatIsNotLowerCaseHex() {
        String upper = SHA_OF_NOTHING.toUpperCase();
        assertThatIllegalArgumentException().isThrownBy(() -> new WeightSnapshot("run-1", SPEC, 1, 0, 0, 0, false,
                false, EpochLoss.NONE, List.of(), List.of(), new float[0], new float[0], upper))
                .withMessage("parametersSha256 must be 64 lower-case hex digits, got '" + upper + "'");
        assertThatIllegalArgumentException().isThrownBy(() -> new WeightSnapshot("run-1", SPEC, 1, 0, 0, 0, false,
                false, EpochLoss.NONE, List.of(), List.of(), new float[0], new float[0], "abc"))
                .withMessage("parametersSha256 must be 64 lower-case hex digits, got 'abc'");
    }

    @Test
    void copiesItsLists() {
        List<ConsumedOffset> offsets = new ArrayList<>(Snapshots.OFFSETS);
        WeightSnapshot s = Snapshots.of(SPEC, false, false, offsets, Snapshots.LAYOUT, new float[8], new float[0]);
        offsets.clear();
        assertThat(s.offsets()).containsExactlyElementsOf(Snapshots.OFFSETS);
        assertThatThrownBy(() -> s.layout().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void consumedOffsetsAreValidated() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ConsumedOffset("t", -1, 0))
                .withMessage("partition must be >= 0, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ConsumedOffset("t", 0, -1))
                .withMessage("nextOffset must be >= 0, got -1");
    }

    @Test
    void comparesParameterContents() {
        assertThat(Snapshots.basic()).isEqualTo(Snapshots.basic()).hasSameHashCodeAs(Snapshots.basic());
        WeightSnapshot other = WeightSnapshot.of(SPEC, 2, 10, 640, 1_700_000_000_000L, false, false,
                Snapshots.BASIC_LOSS, Snapshots.OFFSETS, Snapshots.LAYOUT,
                new float[] {0.5f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f, 4.5f}, new float[0]);
        assertThat(other).isNotEqualTo(Snapshots.basic());
        WeightSnapshot withUpdater = WeightSnapshot.of(SPEC, 2, 10, 640, 1_700_000_000_000L, false, false,
                Snapshots.BASIC_LOSS, Snapshots.OFFSETS, Snapshots.LAYOUT, Snapshots.basic().parameters(),
                new float[] {1f});
        assertThat(withUpdater).isNotEqualTo(Snapshots.basic());
        WeightSnapshot otherLoss = WeightSnapshot.of(SPEC, 2, 10, 640, 1_700_000_000_000L, false, false,
                new EpochLoss(9.25, 5), Snapshots.OFFSETS, Snapshots.LAYOUT, Snapshots.basic().parameters(),
                new float[0]);
        assertThat(otherLoss).isNotEqualTo(Snapshots.basic());
    }

    @Test
    void describesItself() {
        WeightSnapshot s = WeightSnapshot.of(SPEC, 2, 10, 640, 0, true, true,
                EpochLoss.NONE, List.of(), Snapshots.LAYOUT, new float[8], new float[0]);
        assertThat(s).hasToString("WeightSnapshot[run run-1 epoch 2 step 10 samples 640 epoch-end final, 8"
                + " parameters, sha256 " + Snapshots.sha256(new float[8]) + "]");
    }

    @Test
    void rejectsALayoutWhoseSizeOverflows() {
        // such a layout cannot even be built, so no snapshot can claim it
        assertThatThrownBy(() -> WeightSnapshot.of(SPEC, 1, 0, 0, 0, false, false, EpochLoss.NONE, List.of(),
                List.of(new TensorLayout("w", new int[] {65536, 65536, 65536, 65536})), new float[0],
                new float[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has more than 2147483647 values");
    }
}
