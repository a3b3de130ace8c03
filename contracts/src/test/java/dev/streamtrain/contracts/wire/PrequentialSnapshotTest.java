package dev.streamtrain.contracts.wire;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static dev.streamtrain.contracts.wire.WireBytes.withI32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshot record version 4: the prequential state, after the train accuracy (docs/wire-format.md, section 4). */
class PrequentialSnapshotTest {

    private static final WeightSnapshotSerializer SERIALIZER = new WeightSnapshotSerializer();
    private static final WeightSnapshotDeserializer DESERIALIZER = new WeightSnapshotDeserializer();
    /** Two batches in the window, sums whose bits must survive (a NaN loss among them). */
    static final PrequentialState STATE = new PrequentialState(63.5, 40.25, 1.0 / 3, List.of(
            new PrequentialState.Batch(64, 40, 2.302585092994046), new PrequentialState.Batch(32, 32, Double.NaN)));

    static WeightSnapshot withState(PrequentialState state) {
        WeightSnapshot b = Snapshots.basic();
        return new WeightSnapshot(b.runId(), b.spec(), b.epoch(), b.step(), b.samplesSeen(), b.createdAtMillis(),
                b.epochEnd(), b.finalSnapshot(), b.trainLoss(), b.trainAccuracy(), b.offsets(), b.layout(),
                b.parameters(), b.updaterState(), b.parametersSha256(), state);
    }

    /** Offset of {@code fadingWeight}: after the header, runId, spec and the fields up to trainSamples. */
    private static int prequentialAt(WeightSnapshot s) {
        return 6 + 2 + s.runId().length() + 4 + RunSpecJson.write(s.spec()).getBytes(StandardCharsets.UTF_8).length
                + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 8;
    }

    @Test
    void aSnapshotWithPrequentialStateIsVersion4AndRoundTripsBitForBit() {
        for (PrequentialState state : List.of(STATE, PrequentialState.EMPTY)) {
            byte[] v4 = SERIALIZER.serialize("t", withState(state));
            assertThat(v4[4]).isEqualTo((byte) 4);
            WeightSnapshot back = DESERIALIZER.deserialize("t", v4);
            assertThat(back).isEqualTo(withState(state));
            assertThat(back.prequential()).isEqualTo(state);
            assertThat(SERIALIZER.serialize("t", back)).isEqualTo(v4);
        }
    }

    @Test
    void version4IsVersion3WithThePrequentialFieldsBeforeOffsetCount() {
        byte[] v3 = SERIALIZER.serialize("t", Snapshots.basic());
        byte[] v4 = SERIALIZER.serialize("t", withState(STATE));
        int at = prequentialAt(Snapshots.basic());
        int block = 8 + 8 + 8 + 4 + 2 * 16;
        assertThat(v3[4]).isEqualTo((byte) 3);
        assertThat(v4).hasSize(v3.length + block);
        assertThat(Arrays.copyOfRange(v4, 5, at)).isEqualTo(Arrays.copyOfRange(v3, 5, at));
        assertThat(Arrays.copyOfRange(v4, at + block, v4.length)).isEqualTo(Arrays.copyOfRange(v3, at, v3.length));
        ByteBuffer in = ByteBuffer.wrap(v4, at, block); // big-endian, as every integer and f64 of the record
        assertThat(in.getDouble()).isEqualTo(63.5);
        assertThat(in.getDouble()).isEqualTo(40.25);
        assertThat(in.getDouble()).isEqualTo(1.0 / 3);
        assertThat(in.getInt()).isEqualTo(2);
        assertThat(in.getInt()).isEqualTo(64);
        assertThat(in.getInt()).isEqualTo(40);
        assertThat(in.getDouble()).isEqualTo(2.302585092994046);
        assertThat(in.getInt()).isEqualTo(32);
        assertThat(in.getInt()).isEqualTo(32);
        assertThat(Double.doubleToRawLongBits(in.getDouble())).isEqualTo(Double.doubleToRawLongBits(Double.NaN));
    }

    @Test
    void snapshotsBeforeVersion4HaveNoPrequentialState() {
        WeightSnapshot v3 = DESERIALIZER.deserialize("t", SERIALIZER.serialize("t", Snapshots.basic()));
        assertThat(v3.prequential()).isNull();
        assertThat(v3.prequentialMetrics()).isNull();
    }

    @Test
    void rejectsAnImpossibleWindow() {
        byte[] v4 = SERIALIZER.serialize("t", withState(STATE));
        int batches = prequentialAt(Snapshots.basic()) + 24;
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", withI32(v4, batches, -1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("field 'windowBatches' must be in [0, 100000], got -1");
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", withI32(v4, batches + 8, 65)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a prequential window batch must count 0 <= correct <= samples, samples >= 1,"
                        + " got 65 of 64");
        // a third batch read from the bytes of what follows: the record no longer parses
        assertThatThrownBy(() -> DESERIALIZER.deserialize("t", withI32(v4, batches, 3)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void theMetricsOfAStateFollowTheirFormulas() {
        PrequentialMetrics m = withState(STATE).prequentialMetrics();
        assertThat(m.window()).isEqualTo(PrequentialSpec.DEFAULT.window());
        assertThat(m.fadingFactor()).isEqualTo(0.999);
        assertThat(m.windowSamples()).isEqualTo(96);
        assertThat(m.windowAccuracy()).isEqualTo(72 / 96.0);
        assertThat(m.windowLoss()).isNaN();
        assertThat(m.fadingAccuracy()).isEqualTo(40.25 / 63.5);
        assertThat(m.fadingLoss()).isEqualTo((1.0 / 3) / 63.5);
        PrequentialState one = new PrequentialState(0, 0, 0, List.of(new PrequentialState.Batch(4, 1, 0.5),
                new PrequentialState.Batch(2, 2, 2.0)));
        assertThat(one.windowLoss()).isEqualTo((0.5 * 4 + 2.0 * 2) / 6);
        assertThat(one.fadingAccuracy()).isNaN();
        assertThat(PrequentialState.EMPTY.windowAccuracy()).isNaN();
        assertThat(PrequentialState.EMPTY.windowLoss()).isNaN();
    }
}
