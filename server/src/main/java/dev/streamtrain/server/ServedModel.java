package dev.streamtrain.server;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.layer.Shape;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The model {@code serve} answers with: one committed snapshot of the run (its parameters and the
 * run spec that says how to build its network and transform its inputs), why it is served (the
 * policy, and for {@code best} the evaluation that chose it), and its identity, which every
 * prediction names. Immutable: a swap replaces the whole value ({@link ModelSlot}).
 *
 * @param snapshot   the committed snapshot
 * @param policy     the policy that chose it
 * @param evaluation the evaluator's metrics that made {@code best} choose it; null for {@code latest}
 */
public record ServedModel(WeightSnapshot snapshot, ServePolicy policy, TestMetrics evaluation) {

    public ServedModel {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(policy, "policy");
        if (snapshot.spec().architecture() == null) {
            throw new IllegalArgumentException(snapshot + ": its run spec records no architecture for model "
                    + snapshot.spec().model() + ", so it cannot be served");
        }
        if (evaluation != null && !evaluation.snapshotSha256().equals(snapshot.parametersSha256())) {
            throw new IllegalArgumentException("the evaluation of snapshot " + evaluation.snapshotSha256()
                    + " does not choose snapshot " + snapshot.parametersSha256());
        }
    }

    public String runId() {
        return snapshot.runId();
    }

    public RunSpec spec() {
        return snapshot.spec();
    }

    public String sha256() {
        return snapshot.parametersSha256();
    }

    public long step() {
        return snapshot.step();
    }

    /** The shape of one sample the network takes, e.g. {@code [1, 28, 28]}. */
    public Shape sampleShape() {
        return spec().architecture().inputShape();
    }

    public int classes() {
        return spec().architecture().classes();
    }

    /** For {@code best}, what chose it, e.g. {@code measured validation loss 0.341920}; empty for {@code latest}. */
    public Optional<String> chosenBy() {
        return Optional.ofNullable(evaluation).map(m -> String.format(Locale.ROOT, "measured %s loss %.6f",
                m.hasValidation() ? "validation" : "test", BestSnapshotChoice.loss(m)));
    }

    /** What a prediction says of this model. */
    public SnapshotRef ref() {
        return new SnapshotRef(sha256(), snapshot.step(), snapshot.epoch(), snapshot.createdAtMillis());
    }

    @Override
    public String toString() {
        return "snapshot of run " + runId() + " at epoch " + snapshot.epoch() + ", step " + step() + " (sha256 "
                + sha256() + ", policy " + policy.label() + ")";
    }
}
