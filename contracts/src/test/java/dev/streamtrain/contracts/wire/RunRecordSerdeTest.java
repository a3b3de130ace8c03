package dev.streamtrain.contracts.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.run.RunStatus;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRecordSerdeTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static RunRecord finished() {
        return RunRecord.started(RunSpecFixture.spec(), "streamtrain.minibatches", 100, 1_000)
                .withSnapshot(RunStatus.FINISHED, 4790, 4690, 300_000, 2, 8, "ab".repeat(32), 2_000);
    }

    @Test
    void roundTripsEveryField() {
        RunRecord record = finished();
        byte[] json = new RunRecordSerializer().serialize("t", record);
        assertThat(new RunRecordDeserializer().deserialize("t", json)).isEqualTo(record);
        assertThat(record.snapshots()).isEqualTo(1);
        assertThat(record.firstOffset()).isEqualTo(100);
        assertThat(record.snapshotPartition()).isEqualTo(2);
        assertThat(record.hasSnapshot()).isTrue();
        assertThat(record.status().isTerminal()).isTrue();
    }

    @Test
    void aStartedRunHasNoSnapshotAndAStatusChangeKeepsItsProgress() {
        RunRecord started = RunRecord.started(RunSpecFixture.spec(), "m", 7, 1);
        assertThat(started.hasSnapshot()).isFalse();
        assertThat(started.nextOffset()).isEqualTo(-1);
        assertThat(started.status()).isEqualTo(RunStatus.RUNNING);
        RunRecord failed = finished().withStatus(RunStatus.FAILED, "broker gone", 3_000);
        assertThat(failed.status().isTerminal()).isFalse();
        assertThat(failed.message()).isEqualTo("broker gone");
        assertThat(failed.snapshotOffset()).isEqualTo(8);
        assertThat(failed.step()).isEqualTo(4690);
    }

    @Test
    void aRecordWrittenBeforeSnapshotPartitionExistedReadsPartitionZero() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(new RunRecordSerializer().serialize("t", finished()));
        json.remove("snapshotPartition");
        RunRecord old = new RunRecordDeserializer().deserialize("t",
                PLAIN.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        assertThat(old.snapshotPartition()).isZero();
        assertThat(old.snapshotOffset()).isEqualTo(8);
    }

    @Test
    void skippedOffsetsRoundTripInOrderOnceAndAreAbsentWhenNoneWasSkipped() throws Exception {
        RunRecord skipping = finished().withSkipped(900).withSkipped(120).withSkipped(900);
        assertThat(skipping.skippedOffsets()).containsExactly(120L, 900L);
        assertThat(skipping.skippedBefore(900)).isEqualTo(1);
        assertThat(skipping.withStatus(RunStatus.FAILED, "x", 3).skippedOffsets()).containsExactly(120L, 900L);
        assertThat(skipping.withSnapshot(RunStatus.RUNNING, 1000, 10, 320, 0, 9, "cd".repeat(32), 4)
                .skippedOffsets()).containsExactly(120L, 900L);
        byte[] json = new RunRecordSerializer().serialize("t", skipping);
        assertThat(PLAIN.readTree(json).get("skippedOffsets").toString()).isEqualTo("[120,900]");
        assertThat(new RunRecordDeserializer().deserialize("t", json)).isEqualTo(skipping);

        // a run that skipped nothing is written as before the member existed, and such a record reads as none
        ObjectNode plain = (ObjectNode) PLAIN.readTree(new RunRecordSerializer().serialize("t", finished()));
        assertThat(plain.has("skippedOffsets")).isFalse();
        assertThat(new RunRecordDeserializer().deserialize("t", PLAIN.writeValueAsBytes(plain)).skippedOffsets())
                .isEmpty();
    }

    @Test
    void malformedRecordsAreRejectedByName() {
        RunRecordDeserializer decoder = new RunRecordDeserializer();
        assertThat(decoder.deserialize("t", null)).isNull();
        assertThatThrownBy(() -> decoder.deserialize("t", "null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("run record: JSON null");
        assertThatThrownBy(() -> decoder.deserialize("t", "{\"runId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("run record: not a valid run JSON");
        assertThatThrownBy(() -> new RunRecord("other", RunStatus.RUNNING, RunSpecFixture.spec(), 0, 0, "m", 0, -1, 0,
                0, 0, -1, "", ""))
                .hasMessage("run record 'other' holds the spec of run 'run-1'");
    }
}
