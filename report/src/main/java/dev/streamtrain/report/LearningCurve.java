package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.TestMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * A run's learning curve, rebuilt from its metrics records: one point per evaluated epoch end, in
 * epoch order, and the snapshot whose figures are the run's result. Mid-epoch snapshots (taken with
 * {@code --snapshot-every}) are not points of the curve, but one may be the reported snapshot.
 *
 * @param runId    the run
 * @param dataset  its dataset
 * @param model    its network
 * @param epochs   one point per epoch whose end-of-epoch snapshot was evaluated, ascending
 * @param reported the snapshot the run's figures and per-class results come from (see {@link ReportedSnapshot});
 *                 null when no snapshot of the run was evaluated
 * @param prequential the test-then-train curve: one point per evaluated snapshot (mid-epoch ones too) whose
 *                 metrics carry it, ascending by step; empty for runs before snapshot version 4
 */
public record LearningCurve(String runId, String dataset, String model, List<EpochPoint> epochs,
                            ReportedSnapshot reported, List<PrequentialPoint> prequential) {

    public LearningCurve {
        Objects.requireNonNull(runId, "runId");
        epochs = List.copyOf(epochs);
        prequential = prequential == null ? List.of() : List.copyOf(prequential);
    }

    /** A curve without a test-then-train curve. */
    public LearningCurve(String runId, String dataset, String model, List<EpochPoint> epochs,
                         ReportedSnapshot reported) {
        this(runId, dataset, model, epochs, reported, List.of());
    }

    /** A curve without a reported snapshot. */
    public LearningCurve(String runId, String dataset, String model, List<EpochPoint> epochs) {
        this(runId, dataset, model, epochs, null);
    }

    /**
     * The curve of {@code runId} from metrics records in topic order; records of other runs are
     * ignored, and those of mid-epoch snapshots are points of no epoch. Should an epoch have been
     * evaluated twice, the later record counts.
     */
    public static LearningCurve of(String runId, Iterable<TestMetrics> metrics) {
        Map<Integer, EpochPoint> byEpoch = new TreeMap<>();
        Map<Long, PrequentialPoint> byStep = new TreeMap<>();
        List<TestMetrics> runRecords = new ArrayList<>();
        String dataset = "";
        String model = "";
        for (TestMetrics m : metrics) {
            if (!m.runId().equals(runId)) {
                continue;
            }
            runRecords.add(m);
            if (m.prequential() != null) {
                byStep.put(m.step(), PrequentialPoint.of(m.step(), m.samplesSeen(), m.prequential()));
            }
            if (m.epochEnd()) {
                byEpoch.put(m.epoch(), point(m));
                dataset = m.dataset();
                model = m.model();
            }
        }
        return new LearningCurve(runId, dataset, model, List.copyOf(byEpoch.values()),
                ReportedSnapshot.choose(runRecords), List.copyOf(byStep.values()));
    }

    private static EpochPoint point(TestMetrics m) {
        return new EpochPoint(m.epoch(), m.samplesSeen(), m.trainLoss(), m.avgLoss(), m.accuracy(), m.trainAccuracy(),
                m.hasValidation() ? m.validation().avgLoss() : Double.NaN,
                m.hasValidation() ? m.validation().accuracy() : Double.NaN);
    }

    public boolean isEmpty() {
        return epochs.isEmpty();
    }

    /** True if some evaluated snapshot carries the test-then-train metrics. */
    public boolean hasPrequential() {
        return !prequential.isEmpty();
    }

    /** True if some epoch was evaluated on a validation split. */
    public boolean hasValidation() {
        return epochs.stream().anyMatch(EpochPoint::hasValidation);
    }

    /** True if some epoch's train accuracy is known. */
    public boolean hasTrainAccuracy() {
        return any(EpochPoint::trainAccuracy);
    }

    /** True if {@code value} is a number for some epoch. */
    boolean any(ToDoubleFunction<EpochPoint> value) {
        return epochs.stream().mapToDouble(value).anyMatch(v -> !Double.isNaN(v));
    }

    /** True if the reported snapshot carries per-class results. */
    public boolean hasClassResults() {
        return reported != null && reported.hasClassResults();
    }
}
