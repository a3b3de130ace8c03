package dev.streamtrain.server;

import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;

import java.util.Optional;

/**
 * A serving policy's decisions: told each committed snapshot of the run (in commit order) and, for
 * {@code best}, each of its metrics records (in the evaluator's order), it says when to serve another
 * model. Not thread-safe: the {@link SnapshotFollower}'s thread alone calls it.
 */
interface SnapshotChoice {

    /** The model to serve instead of the served one now that {@code snapshot} is committed, if any. */
    Optional<ServedModel> onSnapshot(WeightSnapshot snapshot);

    /** The model to serve instead of the served one now that {@code metrics} are committed, if any. */
    Optional<ServedModel> onMetrics(TestMetrics metrics);

    /** Whether it reads the metrics topic. */
    boolean needsMetrics();

    static SnapshotChoice of(ServePolicy policy) {
        return switch (policy) {
            case LATEST -> new LatestSnapshotChoice();
            case BEST -> new BestSnapshotChoice();
        };
    }
}
