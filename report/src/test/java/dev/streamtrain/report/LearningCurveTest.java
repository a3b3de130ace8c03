package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.TestMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LearningCurveTest {

    static final String SHA = "0".repeat(64);

    static TestMetrics metrics(String run, int epoch, long step, boolean epochEnd, double accuracy, double testLoss,
                               double trainLoss) {
        return new TestMetrics(run, "fashion-mnist", "tutorial-mlp", epoch, step, step * 64, epochEnd, false,
                accuracy, testLoss, 10_000, SHA, 0, 0, trainLoss);
    }

    @Test
    void onePointPerEvaluatedEpochEndOfTheRunInEpochOrder() {
        List<TestMetrics> topic = List.of(
                metrics("r1", 1, 400, false, 0.30, 2.25, 2.28),   // mid-epoch snapshot: not a point
                metrics("r2", 1, 938, true, 0.99, 0.10, 0.20),    // another run
                metrics("r1", 2, 1876, true, 0.539, 1.880709, 2.039216), // partitions may deliver epochs out of order
                metrics("r1", 1, 938, true, 0.484, 2.153328, 2.240531));

        LearningCurve curve = LearningCurve.of("r1", topic);

        assertThat(curve.runId()).isEqualTo("r1");
        assertThat(curve.dataset()).isEqualTo("fashion-mnist");
        assertThat(curve.model()).isEqualTo("tutorial-mlp");
        assertThat(curve.epochs()).containsExactly(
                new EpochPoint(1, 938 * 64, 2.240531, 2.153328, 0.484),
                new EpochPoint(2, 1876 * 64, 2.039216, 1.880709, 0.539));
    }

    @Test
    void oldRecordsLeaveTheNewFiguresUnknownAndReportTheFinalSnapshotWithoutClassResults() {
        TestMetrics last = new TestMetrics("r", "fashion-mnist", "tutorial-mlp", 2, 20, 1280, true, true, 0.6, 1.2,
                10_000, Evaluations.sha('b'), 0, 0, 1.3);
        LearningCurve curve = LearningCurve.of("r", List.of(metrics("r", 1, 10, true, 0.5, 1.5, 1.6), last));

        assertThat(curve.epochs()).allSatisfy(p -> {
            assertThat(p.trainAccuracy()).isNaN();
            assertThat(p.validationLoss()).isNaN();
            assertThat(p.validationAccuracy()).isNaN();
        });
        assertThat(curve.hasValidation()).isFalse();
        assertThat(curve.hasTrainAccuracy()).isFalse();
        assertThat(curve.hasClassResults()).isFalse();
        assertThat(curve.reported().step()).isEqualTo(20);
        assertThat(curve.reported().selection()).isEqualTo(ReportedSnapshot.Selection.FINAL);
        assertThat(curve.reported().shaPrefix()).isEqualTo("bbbbbbbbbbbb");
        assertThat(curve.reported().classAccuracy()).isEmpty();
        assertThat(curve.reported().classSamples()).isEmpty();
    }

    @Test
    void eachEpochCarriesItsTrainAccuracyAndValidationFigures() {
        long[][] confusion = {{8, 2}, {1, 9}};
        List<TestMetrics> topic = List.of(
                Evaluations.metrics("v", 1, 10, true, false, SHA, 1.6, 0.55,
                        Evaluations.result("test", 1.5, confusion),
                        Evaluations.result("validation", 1.45, new long[][] {{3, 1}, {1, 5}})),
                Evaluations.metrics("v", 2, 20, true, true, SHA, 1.1, 0.75,
                        Evaluations.result("test", 1.0, confusion),
                        Evaluations.result("validation", 0.95, new long[][] {{4, 0}, {1, 5}})));

        LearningCurve curve = LearningCurve.of("v", topic);

        assertThat(curve.epochs()).containsExactly(
                new EpochPoint(1, 640, 1.6, 1.5, 0.85, 0.55, 1.45, 0.8),
                new EpochPoint(2, 1280, 1.1, 1.0, 0.85, 0.75, 0.95, 0.9));
        assertThat(curve.hasValidation()).isTrue();
        assertThat(curve.hasTrainAccuracy()).isTrue();
        assertThat(curve.hasClassResults()).isTrue();
    }

    @Test
    void aReEvaluatedEpochCountsOnceWithItsLaterRecord() {
        LearningCurve curve = LearningCurve.of("r", List.of(metrics("r", 1, 10, true, 0.5, 1.5, 1.6),
                metrics("r", 1, 10, true, 0.5, 1.4, 1.6)));
        assertThat(curve.epochs()).extracting(EpochPoint::testLoss).containsExactly(1.4);
    }

    @Test
    void aRunWithoutEvaluatedEpochsHasAnEmptyCurve() {
        LearningCurve curve = LearningCurve.of("pending", List.of(metrics("r", 1, 10, true, 0.5, 1.5, 1.6),
                metrics("pending", 1, 4, false, 0.2, 2.2, 2.3)));
        assertThat(curve.isEmpty()).isTrue();
        assertThat(curve.epochs()).isEmpty();
    }
}
