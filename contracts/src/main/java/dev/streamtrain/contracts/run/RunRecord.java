package dev.streamtrain.contracts.run;

import java.util.Objects;

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
 */
public record RunRecord(String runId, RunStatus status, RunSpec spec, long startedAtMillis, long updatedAtMillis,
                        String minibatchTopic, long firstOffset, long nextOffset, int snapshots, long step,
                        long samplesSeen, long snapshotOffset, String snapshotSha256, String message,
                        int snapshotPartition) {

    /** A record whose snapshot (if any) is on partition 0. */
    public RunRecord(String runId, RunStatus status, RunSpec spec, long startedAtMillis, long updatedAtMillis,
                     String minibatchTopic, long firstOffset, long nextOffset, int snapshots, long step,
                     long samplesSeen, long snapshotOffset, String snapshotSha256, String message) {
        this(runId, status, spec, startedAtMillis, updatedAtMillis, minibatchTopic, firstOffset, nextOffset, snapshots,
                step, samplesSeen, snapshotOffset, snapshotSha256, message, 0);
    }

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(minibatchTopic, "minibatchTopic");
        snapshotSha256 = snapshotSha256 == null ? "" : snapshotSha256;
        message = message == null ? "" : message;
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
                snapshots + 1, step, samplesSeen, snapshotOffset, sha256, "", snapshotPartition);
    }

    /** This record with a new status and an explanation. */
    public RunRecord withStatus(RunStatus newStatus, String why, long now) {
        return new RunRecord(runId, newStatus, spec, startedAtMillis, now, minibatchTopic, firstOffset, nextOffset,
                snapshots, step, samplesSeen, snapshotOffset, snapshotSha256, why, snapshotPartition);
    }
}
