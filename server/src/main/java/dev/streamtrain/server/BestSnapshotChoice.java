package dev.streamtrain.server;

import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code best}: a snapshot is served once the evaluator's metrics show it better than the served one,
 * by {@link #loss}: the validation loss of a run with a validation split, else the test loss; lower
 * is better, a tie keeps the served one, and a NaN loss is never served. Before any snapshot is
 * measured nothing is served. Snapshots and their metrics may come in either order (the follower
 * reads two topics): a snapshot not yet measured waits, and so do metrics whose snapshot is not yet
 * read, as long as they are better than the served one; at most {@link #WAITING} of each.
 */
final class BestSnapshotChoice implements SnapshotChoice {

    /** How many unmeasured snapshots (and early metrics) are kept; beyond it the oldest is dropped. */
    static final int WAITING = 32;
    private static final Logger log = LoggerFactory.getLogger(BestSnapshotChoice.class);

    private final Map<String, WeightSnapshot> unmeasured = new LinkedHashMap<>();
    private final Map<String, TestMetrics> early = new LinkedHashMap<>();
    private double servedLoss = Double.NaN;

    /** What {@code best} compares: the validation loss where the run has a validation split, else the test loss. */
    static double loss(TestMetrics metrics) {
        return metrics.hasValidation() ? metrics.validation().avgLoss() : metrics.avgLoss();
    }

    @Override
    public Optional<ServedModel> onSnapshot(WeightSnapshot snapshot) {
        TestMetrics metrics = early.remove(snapshot.parametersSha256());
        if (metrics != null) {
            return consider(snapshot, metrics);
        }
        keep(unmeasured, snapshot.parametersSha256(), snapshot);
        return Optional.empty();
    }

    @Override
    public Optional<ServedModel> onMetrics(TestMetrics metrics) {
        if (!better(loss(metrics))) {
            unmeasured.remove(metrics.snapshotSha256());
            return Optional.empty();
        }
        WeightSnapshot snapshot = unmeasured.remove(metrics.snapshotSha256());
        if (snapshot == null) {
            keep(early, metrics.snapshotSha256(), metrics);
            return Optional.empty();
        }
        return consider(snapshot, metrics);
    }

    @Override
    public boolean needsMetrics() {
        return true;
    }

    private Optional<ServedModel> consider(WeightSnapshot snapshot, TestMetrics metrics) {
        double loss = loss(metrics);
        if (!better(loss)) {
            return Optional.empty();
        }
        servedLoss = loss;
        return Optional.of(new ServedModel(snapshot, ServePolicy.BEST, metrics));
    }

    /** Whether {@code loss} beats the served one's: a number, and lower (anything is, before the first). */
    private boolean better(double loss) {
        return !Double.isNaN(loss) && (Double.isNaN(servedLoss) || loss < servedLoss);
    }

    private static <V> void keep(Map<String, V> waiting, String sha256, V value) {
        waiting.put(sha256, value);
        if (waiting.size() > WAITING) {
            Iterator<String> oldest = waiting.keySet().iterator();
            log.debug("best: dropping {}, waiting longest for its {}", oldest.next(),
                    value instanceof TestMetrics ? "snapshot" : "metrics");
            oldest.remove();
        }
    }
}
