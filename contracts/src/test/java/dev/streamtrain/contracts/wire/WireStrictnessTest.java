package dev.streamtrain.contracts.wire;

import dev.streamtrain.model.TensorLayout;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Text must be valid UTF-8 and counts must fit their fields: nothing is repaired or wrapped silently. */
class WireStrictnessTest {

    @Test
    void invalidUtf8InTheDatasetNameIsRejected() {
        byte[] bytes = new MinibatchSerializer().serialize("t", Minibatches.small());
        // "mnist" starts at offset 10 (after magic, version, split, dtype, rank, u16 length)
        bytes[10] = (byte) 0xC3; // a lead byte followed by 'n' (0x6E): malformed
        assertThatThrownBy(() -> new MinibatchDeserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessage("minibatch record: field 'dataset' is not valid UTF-8");
    }

    @Test
    void invalidUtf8InTheRunIdIsRejected() {
        byte[] bytes = new WeightSnapshotSerializer().serialize("t", Snapshots.basic());
        bytes[8] = (byte) 0xFF; // first byte of runId (after magic, version, flags, u16 length)
        assertThatThrownBy(() -> new WeightSnapshotDeserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessage("weight snapshot record: field 'runId' is not valid UTF-8");
    }

    @Test
    void moreTensorsThanAU16CountHoldsAreNotWrittenWrapped() {
        WeightSnapshot base = Snapshots.basic();
        List<TensorLayout> layout = new ArrayList<>();
        for (int i = 0; i < 65536; i++) {
            layout.add(new TensorLayout("t" + i, new int[] {1}));
        }
        WeightSnapshot huge = WeightSnapshot.of(base.spec(), 1, 0, 0, 0, false, false,
                EpochLoss.NONE, List.of(), layout, new float[65536], new float[0]);
        assertThatThrownBy(() -> new WeightSnapshotSerializer().serialize("t", huge))
                .isInstanceOf(SerializationException.class)
                .hasMessage("weight snapshot record: 65536 does not fit an unsigned 16-bit field");
    }
}
