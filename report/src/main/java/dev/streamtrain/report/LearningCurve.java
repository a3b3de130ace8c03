package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.TestMetrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A run's learning curve, rebuilt from its metrics records: one point per evaluated epoch end, in
 * epoch order. Mid-epoch snapshots (taken with {@code --snapshot-every}) are not points of the curve.
 *
 * @param runId   the run
 * @param dataset its dataset
 * @param model   its network
 * @param epochs  one point per epoch whose end-of-epoch snapshot was evaluated, ascending
 */
public record LearningCurve(String runId, String dataset, String model, List<EpochPoint> epochs) {

    public LearningCurve {
        Objects.requireNonNull(runId, "runId");
        epochs = List.copyOf(epochs);
    }

    /**
     * The curve of {@code runId} from metrics records in topic order; records of other runs and of
     * mid-epoch snapshots are ignored. Should an epoch have been evaluated twice, the later record counts.
     */
    public static LearningCurve of(String runId, Iterable<TestMetrics> metrics) {
        Map<Integer, EpochPoint> byEpoch = new TreeMap<>();
        String dataset = "";
        String model = "";
        for (TestMetrics m : metrics) {
            if (m.runId().equals(runId) && m.epochEnd()) {
                byEpoch.put(m.epoch(), new EpochPoint(m.epoch(), m.samplesSeen(), m.trainLoss(), m.avgLoss(),
                        m.accuracy()));
                dataset = m.dataset();
                model = m.model();
            }
        }
        return new LearningCurve(runId, dataset, model, List.copyOf(byEpoch.values()));
    }

    public boolean isEmpty() {
        return epochs.isEmpty();
    }
}
