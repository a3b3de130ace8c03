package dev.streamtrain.contracts.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The state of one run, as the trainer publishes it (JSON, key = run id) to the compacted runs
 * topic with every status change and, in the same Kafka transaction, with every snapshot.
 *
 * @param runId                run id
 * @param status               where the run stands
 * @param spec                 the run's spec
 * @param startedAtMillis      when the run started (epoch millis)
 * @param updatedAtMillis      when this record was written
 * @param minibatchTopic       topic of the run's minibatch stream
 * @param firstOffset          offset of the stream's first minibatch
 * @param nextOffset           offset after the last minibatch the committed snapshot trained on
 *                             (the consumed range is [firstOffset, nextOffset)); -1 before the first snapshot
 * @param snapshots            snapshots committed so far
 * @param step                 steps trained as of the latest snapshot
 * @param samplesSeen          samples trained as of the latest snapshot
 * @param snapshotOffset       offset of the latest snapshot in its partition of the snapshot topic; -1 before
 *                             the first
 * @param snapshotSha256       SHA-256 of the latest snapshot's parameters; empty before the first
 * @param message              why the run failed or diverged; empty otherwise
 * @param snapshotPartition    partition of the latest snapshot on the snapshot topic
 * @param skippedOffsets       offsets of the stream's records the run skipped as bad minibatches
 *                             ({@code --on-bad-minibatch skip}), ascending; empty (and absent from the JSON) when
 *                             none was, as in records written before the option existed
 */
public record RunRecord(String runId, RunStatus status, RunSpec spec, long startedAtMillis, long updatedAtMillis,
                        String minibatchTopic, long firstOffset, long nextOffset, int snapshots, long step,
                        long samplesSeen, long snapshotOffset, String snapshotSha256, String message,
                        int snapshotPartition,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> skippedOffsets) {

    /** A record whose snapshot (if any) is on partition 0. */
    public RunRecord(String runId, RunStatus status, RunSpec spec, long startedAtMillis, long updatedAtMillis,
                     String minibatchTopic, long firstOffset, long nextOffset, int snapshots, long step,
                     long samplesSeen, long snapshotOffset, String snapshotSha256, String message) {
        this(runId, status, spec, startedAtMillis, updatedAtMillis, minibatchTopic, firstOffset, nextOffset, snapshots,
                step, samplesSeen, snapshotOffset, snapshotSha256, message, 0);
    }

    /** A record that skipped no minibatch. */
    public RunRecord(String runId, RunStatus status, RunSpec spec, long startedAtMillis, long updatedAtMillis,
                     String minibatchTopic, long firstOffset, long nextOffset, int snapshots, long step,
                     long samplesSeen, long snapshotOffset, String snapshotSha256, String message,
                     int snapshotPartition) {
        this(runId, status, spec, startedAtMillis, updatedAtMillis, minibatchTopic, firstOffset, nextOffset, snapshots,
                step, samplesSeen, snapshotOffset, snapshotSha256, message, snapshotPartition, List.of());
    }

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(minibatchTopic, "minibatchTopic");
        snapshotSha256 = snapshotSha256 == null ? "" : snapshotSha256;
        message = message == null ? "" : message;
        skippedOffsets = skippedOffsets == null ? List.of() : List.copyOf(skippedOffsets);
        if (!runId.equals(spec.runId())) {
            throw new IllegalArgumentException("run record '" + runId + "' holds the spec of run '" + spec.runId()
                    + "'");
        }
    }

    /** A run that has just started on the stream at {@code firstOffset}. */
    public static RunRecord started(RunSpec spec, String minibatchTopic, long firstOffset, long now) {
        return new RunRecord(spec.runId(), RunStatus.RUNNING, spec, now, now, minibatchTopic, firstOffset, -1, 0, 0,
                0, -1, "", "");
    }

    public boolean hasSnapshot() {
        return snapshotOffset >= 0;
    }

    /** This record after one more committed snapshot. */
    public RunRecord withSnapshot(RunStatus newStatus, long nextOffset, long step, long samplesSeen,
                                  int snapshotPartition, long snapshotOffset, String sha256, long now) {
        return new RunRecord(runId, newStatus, spec, startedAtMillis, now, minibatchTopic, firstOffset, nextOffset,
                snapshots + 1, step, samplesSeen, snapshotOffset, sha256, "", snapshotPartition, skippedOffsets);
    }

    /** This record with a new status and an explanation. */
    public RunRecord withStatus(RunStatus newStatus, String why, long now) {
        return new RunRecord(runId, newStatus, spec, startedAtMillis, now, minibatchTopic, firstOffset, nextOffset,
                snapshots, step, samplesSeen, snapshotOffset, snapshotSha256, why, snapshotPartition, skippedOffsets);
    }

    /** This record with {@code offset} among the skipped ones (once, in ascending order). */
    public RunRecord withSkipped(long offset) {
        if (skippedOffsets.contains(offset)) {
            return this;
        }
        List<Long> skipped = Stream.concat(skippedOffsets.stream(), Stream.of(offset)).sorted().toList();
        return new RunRecord(runId, status, spec, startedAtMillis, updatedAtMillis, minibatchTopic, firstOffset,
                nextOffset, snapshots, step, samplesSeen, snapshotOffset, snapshotSha256, message, snapshotPartition,
                skipped);
    }

    /** How many of the skipped records lie before {@code offset}: those a resume from there has passed. */
    public int skippedBefore(long offset) {
        return (int) skippedOffsets.stream().filter(o -> o < offset).count();
    }
}
