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
