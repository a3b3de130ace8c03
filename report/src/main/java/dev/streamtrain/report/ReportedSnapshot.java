package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The snapshot whose figures a report gives as the run's result, with its test loop's per-class
 * results. With a validation split it is the snapshot of lowest validation loss (as the evaluator's
 * best-snapshot store chooses), and its <em>test</em> figures are reported: choosing on the test set
 * would leak it into the choice. Without one it is the run's final snapshot, or, while the run goes
 * on, the latest one evaluated.
 *
 * @param epoch          epoch of the snapshot
 * @param step           step of the snapshot
 * @param snapshotSha256 checksum of its parameters
 * @param selection      why this snapshot
 * @param accuracy       its test accuracy, in [0, 1]
 * @param testLoss       its test loss
 * @param validationLoss its validation loss; NaN without a validation split
 * @param test           its test loop with the confusion matrix; null for records written before metrics carried it
 */
public record ReportedSnapshot(int epoch, long step, String snapshotSha256, Selection selection, double accuracy,
                               double testLoss, double validationLoss, EvaluationResult test) {

    /** How the reported snapshot was chosen. */
    public enum Selection {
        BEST_BY_VALIDATION_LOSS("best by validation loss"),
        FINAL("final"),
        LATEST("latest evaluated, run not finished");

        private final String description;

        Selection(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public ReportedSnapshot {
        Objects.requireNonNull(snapshotSha256, "snapshotSha256");
        Objects.requireNonNull(selection, "selection");
    }

    /**
     * The reported snapshot among {@code runRecords} (one run's metrics records, in topic order), or
     * null if there are none. With a validation split it is the best by the evaluator's order
     * ({@link TestMetrics#better}: the lowest validation loss, then the later step; of two records of
     * one snapshot the later); a NaN validation loss never wins over a number.
     */
    public static ReportedSnapshot choose(List<TestMetrics> runRecords) {
        TestMetrics best = null;
        boolean byValidation = runRecords.stream().anyMatch(TestMetrics::hasValidation);
        for (TestMetrics m : runRecords) {
            if (byValidation ? m.hasValidation() && (best == null || TestMetrics.better(m, best) == m)
                    : best == null || laterOrFinal(m, best)) {
                best = m;
            }
        }
        if (best == null) {
            return null;
        }
        Selection selection = byValidation ? Selection.BEST_BY_VALIDATION_LOSS
                : best.finalSnapshot() ? Selection.FINAL : Selection.LATEST;
        return new ReportedSnapshot(best.epoch(), best.step(), best.snapshotSha256(), selection, best.accuracy(),
                best.avgLoss(), byValidation ? best.validation().avgLoss() : Double.NaN, best.test());
    }

    /** True if {@code m} should replace {@code best} without validation: the final snapshot, else the latest step. */
    private static boolean laterOrFinal(TestMetrics m, TestMetrics best) {
        if (m.finalSnapshot() != best.finalSnapshot()) {
            return m.finalSnapshot();
        }
        return m.step() >= best.step();
    }

    /** True if the snapshot's record carries per-class test results. */
    public boolean hasClassResults() {
        return test != null && test.classes() > 0;
    }

    /** Classes in the confusion matrix; 0 without per-class results. */
    public int classes() {
        return test == null ? 0 : test.classes();
    }

    /** Per class: the fraction of its test samples classified correctly (diagonal / row sum); NaN if it has none. */
    public double[] classAccuracy() {
        return test == null ? new double[0] : test.classAccuracy();
    }

    /** Per class: its test samples (the confusion matrix's row sums). */
    public long[] classSamples() {
        return test == null ? new long[0] : test.classSamples();
    }

    /** {@code confusion[actual][predicted]} of the test loop; empty without per-class results. */
    public long[][] confusion() {
        return test == null ? new long[0][0] : test.confusion();
    }

    /** The first 12 hex digits of the snapshot's checksum, as {@code streamtrain snapshots} shows them. */
    public String shaPrefix() {
        return snapshotSha256.substring(0, Math.min(12, snapshotSha256.length()));
    }

    /**
     * Labels of the {@link #classes()} classes: {@code names} if it names each of them, else their indexes
     * ({@code "0"}, {@code "1"}, ...).
     */
    public List<String> labels(List<String> names) {
        if (names != null && names.size() == classes()) {
            return List.copyOf(names);
        }
        List<String> out = new ArrayList<>(classes());
        for (int c = 0; c < classes(); c++) {
            out.add(Integer.toString(c));
        }
        return out;
    }
}
