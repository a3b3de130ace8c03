package dev.streamtrain.contracts.wire;

import dev.streamtrain.model.TensorLayout;

import dev.streamtrain.contracts.run.RunSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The weights of a run at one step, as published on the snapshot topic. Parameters are the tensors
 * of {@link #layout()} concatenated in order, each row-major; {@link #parametersSha256()} is the
 * SHA-256 of their little-endian float32 bytes, the bytes on the wire.
 *
 * @param runId            run the snapshot belongs to
 * @param spec             the run's spec (its provenance)
 * @param epoch            1-based epoch the last trained batch belongs to
 * @param step             minibatches trained so far in this run
 * @param samplesSeen      samples trained so far in this run
 * @param createdAtMillis  wall-clock time the snapshot was taken (epoch millis)
 * @param epochEnd         true if the snapshot was taken at the end of {@code epoch}
 * @param finalSnapshot    true for the last snapshot of the run
 * @param trainLoss        loss of the batches of {@code epoch} trained up to this snapshot
 * @param trainAccuracy    accuracy of the batches of {@code epoch} trained up to this snapshot (version 3 on)
 * @param offsets          consumed positions: the next minibatch to train on after this snapshot
 * @param layout           parameter tensors, in order
 * @param parameters       all parameter values, in layout order
 * @param updaterState     the optimizer's state (empty for plain SGD)
 * @param parametersSha256 lower-case hex SHA-256 of the parameters' little-endian float32 bytes
 * @param prequential      the trainer's test-then-train state after {@code step} (version 4 on); null when unknown
 *                         (a snapshot older than version 4)
 */
public record WeightSnapshot(String runId, RunSpec spec, int epoch, long step, long samplesSeen,
                             long createdAtMillis, boolean epochEnd, boolean finalSnapshot, EpochLoss trainLoss,
                             EpochAccuracy trainAccuracy, List<ConsumedOffset> offsets, List<TensorLayout> layout, float[] parameters,
                             float[] updaterState, String parametersSha256, PrequentialState prequential) {

    public WeightSnapshot {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(trainLoss, "trainLoss");
        Objects.requireNonNull(trainAccuracy, "trainAccuracy");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(updaterState, "updaterState");
        Objects.requireNonNull(parametersSha256, "parametersSha256");
        offsets = List.copyOf(offsets);
        layout = List.copyOf(layout);
        if (!runId.equals(spec.runId())) {
            throw new IllegalArgumentException("snapshot runId '" + runId + "' differs from its spec's runId '"
                    + spec.runId() + "'");
        }
        if (epoch < 1 || step < 0 || samplesSeen < 0) {
            throw new IllegalArgumentException("epoch must be >= 1 and step, samplesSeen >= 0; got epoch " + epoch
                    + ", step " + step + ", samplesSeen " + samplesSeen);
        }
        long expected = layout.stream().mapToLong(TensorLayout::size).sum();
        if (expected != parameters.length) {
            throw new IllegalArgumentException("layout " + layout + " holds " + expected + " values but "
                    + parameters.length + " parameters were given");
        }
        if (!parametersSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("parametersSha256 must be 64 lower-case hex digits, got '"
                    + parametersSha256 + "'");
        }
    }

    /** A snapshot whose prequential state is unknown (as snapshots before version 4). */
    public WeightSnapshot(String runId, RunSpec spec, int epoch, long step, long samplesSeen, long createdAtMillis,
                          boolean epochEnd, boolean finalSnapshot, EpochLoss trainLoss, EpochAccuracy trainAccuracy,
                          List<ConsumedOffset> offsets, List<TensorLayout> layout, float[] parameters,
                          float[] updaterState, String parametersSha256) {
        this(runId, spec, epoch, step, samplesSeen, createdAtMillis, epochEnd, finalSnapshot, trainLoss,
                trainAccuracy, offsets, layout, parameters, updaterState, parametersSha256, null);
    }

    /** A snapshot whose train accuracy is unknown (as snapshots before version 3). */
    public WeightSnapshot(String runId, RunSpec spec, int epoch, long step, long samplesSeen, long createdAtMillis,
                          boolean epochEnd, boolean finalSnapshot, EpochLoss trainLoss, List<ConsumedOffset> offsets,
                          List<TensorLayout> layout, float[] parameters, float[] updaterState,
                          String parametersSha256) {
        this(runId, spec, epoch, step, samplesSeen, createdAtMillis, epochEnd, finalSnapshot, trainLoss,
                EpochAccuracy.UNKNOWN, offsets, layout, parameters, updaterState, parametersSha256);
    }

    /** Creates a snapshot, computing the checksum of its parameters. */
    public static WeightSnapshot of(RunSpec spec, int epoch, long step, long samplesSeen, long createdAtMillis,
                                    boolean epochEnd, boolean finalSnapshot, EpochLoss trainLoss,
                                    EpochAccuracy trainAccuracy, List<ConsumedOffset> offsets,
                                    List<TensorLayout> layout, float[] parameters, float[] updaterState,
                                    PrequentialState prequential) {
        return new WeightSnapshot(spec.runId(), spec, epoch, step, samplesSeen, createdAtMillis, epochEnd,
                finalSnapshot, trainLoss, trainAccuracy, offsets, layout, parameters, updaterState,
                sha256(parameters), prequential);
    }

    /** Creates a snapshot without prequential state, computing the checksum of its parameters. */
    public static WeightSnapshot of(RunSpec spec, int epoch, long step, long samplesSeen, long createdAtMillis,
                                    boolean epochEnd, boolean finalSnapshot, EpochLoss trainLoss,
                                    EpochAccuracy trainAccuracy, List<ConsumedOffset> offsets,
                                    List<TensorLayout> layout, float[] parameters, float[] updaterState) {
        return of(spec, epoch, step, samplesSeen, createdAtMillis, epochEnd, finalSnapshot, trainLoss, trainAccuracy,
                offsets, layout, parameters, updaterState, null);
    }

    /** The prequential metrics at this snapshot's step, as its spec measures them; null when unknown. */
    public PrequentialMetrics prequentialMetrics() {
        return prequential == null ? null : PrequentialMetrics.of(spec.prequential(), prequential);
    }

    /** Creates a snapshot with an unknown train accuracy, computing the checksum of its parameters. */
    public static WeightSnapshot of(RunSpec spec, int epoch, long step, long samplesSeen, long createdAtMillis,
                                    boolean epochEnd, boolean finalSnapshot, EpochLoss trainLoss,
                                    List<ConsumedOffset> offsets, List<TensorLayout> layout, float[] parameters,
                                    float[] updaterState) {
        return of(spec, epoch, step, samplesSeen, createdAtMillis, epochEnd, finalSnapshot, trainLoss,
                EpochAccuracy.UNKNOWN, offsets, layout, parameters, updaterState);
    }

    /** Lower-case hex SHA-256 of {@code values} as little-endian float32 bytes. */
    public static String sha256(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return sha256(bytes);
    }

    static String sha256(ByteBuffer littleEndianFloats) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(littleEndianFloats);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The values of one tensor of the layout, row-major. */
    public float[] tensor(String name) {
        int from = 0;
        for (TensorLayout t : layout) {
            if (t.name().equals(name)) {
                return Arrays.copyOfRange(parameters, from, from + (int) t.size());
            }
            from += (int) t.size();
        }
        throw new IllegalArgumentException("no tensor '" + name + "' in layout " + layout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSnapshot s && runId.equals(s.runId) && spec.equals(s.spec) && epoch == s.epoch
                && step == s.step && samplesSeen == s.samplesSeen && createdAtMillis == s.createdAtMillis
                && epochEnd == s.epochEnd && finalSnapshot == s.finalSnapshot && trainLoss.equals(s.trainLoss)
                && trainAccuracy.equals(s.trainAccuracy) && offsets.equals(s.offsets)
                && layout.equals(s.layout) && Arrays.equals(parameters, s.parameters)
                && Arrays.equals(updaterState, s.updaterState) && parametersSha256.equals(s.parametersSha256)
                && Objects.equals(prequential, s.prequential);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, epoch, step, samplesSeen, parametersSha256);
    }

    @Override
    public String toString() {
        return "WeightSnapshot[run " + runId + " epoch " + epoch + " step " + step + " samples " + samplesSeen
                + (epochEnd ? " epoch-end" : "") + (finalSnapshot ? " final" : "") + ", " + parameters.length
                + " parameters, sha256 " + parametersSha256 + "]";
    }
}
