package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.streamtrain.report.Evaluations.metrics;
import static dev.streamtrain.report.Evaluations.result;
import static dev.streamtrain.report.Evaluations.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportedSnapshotTest {

    static final long[][] WORSE = {{5, 5, 0}, {2, 8, 0}, {0, 3, 7}};   // 20 of 30
    static final long[][] BETTER = {{9, 1, 0}, {0, 10, 0}, {0, 1, 9}};  // 28 of 30

    static EvaluationResult validation(double loss) {
        return result("validation", loss, new long[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}});
    }

    @Test
    void withAValidationSplitItIsTheLowestValidationLossEvenWhenALaterSnapshotTestsBetter() {
        List<TestMetrics> topic = List.of(
                metrics("v", 1, 10, true, false, sha('1'), 1.2, 0.6, result("test", 1.1, WORSE), validation(0.90)),
                metrics("v", 2, 15, false, false, sha('2'), 0.9, 0.7, result("test", 1.0, WORSE), validation(0.70)),
                metrics("v", 2, 20, true, false, sha('3'), 0.8, 0.8, result("test", 0.6, BETTER), validation(0.80)),
                metrics("v", 3, 30, true, true, sha('4'), 0.7, 0.9, result("test", 0.5, BETTER), validation(0.75)));

        ReportedSnapshot s = LearningCurve.of("v", topic).reported();

        assertThat(s.step()).as("the mid-epoch snapshot of lowest validation loss, not the best on test").isEqualTo(15);
        assertThat(s.epoch()).isEqualTo(2);
        assertThat(s.selection()).isEqualTo(ReportedSnapshot.Selection.BEST_BY_VALIDATION_LOSS);
        assertThat(s.selection().description()).isEqualTo("best by validation loss");
        assertThat(s.snapshotSha256()).isEqualTo(sha('2'));
        assertThat(s.validationLoss()).isEqualTo(0.70);
        assertThat(s.accuracy()).as("its test figures are the ones reported").isCloseTo(20.0 / 30, within(1e-12));
        assertThat(s.testLoss()).isEqualTo(1.0);
        assertThat(s.confusion()).isDeepEqualTo(WORSE);
    }

    @Test
    void equalValidationLossesGoToTheLaterStepAndNaNNeverWins() {
        List<TestMetrics> topic = List.of(
                metrics("v", 1, 10, true, false, sha('1'), 1, 0.5, result("test", 1, WORSE), validation(0.5)),
                metrics("v", 2, 20, true, false, sha('2'), 1, 0.5, result("test", 1, WORSE), validation(Double.NaN)),
                metrics("v", 3, 30, true, false, sha('3'), 1, 0.5, result("test", 1, BETTER), validation(0.5)),
                metrics("v", 4, 40, true, true, sha('4'), 1, 0.5, result("test", 1, BETTER), validation(Double.NaN)));

        assertThat(LearningCurve.of("v", topic).reported().step()).isEqualTo(30);
        assertThat(ReportedSnapshot.choose(topic.subList(0, 2)).step()).isEqualTo(10);
        assertThat(ReportedSnapshot.choose(List.of(topic.get(1), topic.get(0))).step()).isEqualTo(10);
    }

    @Test
    void withoutAValidationSplitItIsTheFinalSnapshotElseTheLatestEvaluated() {
        TestMetrics first = metrics("r", 1, 10, true, false, sha('1'), 1, 0.5, result("test", 1, BETTER), null);
        TestMetrics last = metrics("r", 2, 20, true, true, sha('2'), 1, 0.5, result("test", 1, WORSE), null);
        TestMetrics midway = metrics("r", 2, 15, false, false, sha('3'), 1, 0.5, result("test", 1, WORSE), null);

        ReportedSnapshot done = ReportedSnapshot.choose(List.of(first, last, midway));
        assertThat(done.step()).as("the final one, though it tests worse and arrived before another").isEqualTo(20);
        assertThat(done.selection()).isEqualTo(ReportedSnapshot.Selection.FINAL);
        assertThat(done.validationLoss()).isNaN();

        ReportedSnapshot running = ReportedSnapshot.choose(List.of(midway, first));
        assertThat(running.step()).isEqualTo(15);
        assertThat(running.selection()).isEqualTo(ReportedSnapshot.Selection.LATEST);
        assertThat(ReportedSnapshot.choose(List.of())).isNull();
    }

    @Test
    void perClassResultsAreTheConfusionMatrixDiagonalOverItsRowSums() {
        long[][] confusion = {{7, 2, 1}, {0, 0, 0}, {4, 0, 12}};
        ReportedSnapshot s = ReportedSnapshot.choose(List.of(
                metrics("r", 1, 10, true, true, sha('1'), 1, 0.5, result("test", 1, confusion), null)));

        assertThat(s.hasClassResults()).isTrue();
        assertThat(s.classes()).isEqualTo(3);
        assertThat(s.classSamples()).containsExactly(10, 0, 16);
        assertThat(s.classAccuracy()[0]).isEqualTo(0.7);
        assertThat(s.classAccuracy()[1]).as("a class without test samples").isNaN();
        assertThat(s.classAccuracy()[2]).isEqualTo(0.75);
    }

    @Test
    void classesAreLabelledByTheirNamesWhenEachHasOneElseByIndex() {
        ReportedSnapshot s = ReportedSnapshot.choose(List.of(
                metrics("r", 1, 10, true, true, sha('1'), 1, 0.5, result("test", 1, WORSE), null)));

        assertThat(s.labels(List.of("cat", "dog", "bird"))).containsExactly("cat", "dog", "bird");
        assertThat(s.labels(null)).containsExactly("0", "1", "2");
        assertThat(s.labels(List.of("cat", "dog"))).as("names of another dataset").containsExactly("0", "1", "2");
    }
}
