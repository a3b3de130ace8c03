package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.PrequentialMetrics;
import dev.streamtrain.contracts.wire.TestMetrics;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The test-then-train curve: from the metrics records' prequential member, drawn as a third panel. */
class PrequentialCurveTest {

    private static TestMetrics at(long step, boolean epochEnd, PrequentialMetrics prequential) {
        TestMetrics m = Evaluations.metrics("r", 1, step, epochEnd, false, Evaluations.sha('a'), 0.5, 0.5,
                Evaluations.result("test", 0.8, new long[][] {{3, 1}, {0, 4}}), null);
        return m.withPrequential(prequential);
    }

    private static PrequentialMetrics measured(double window, double fading) {
        return new PrequentialMetrics(100, 96, window, 1.0, 0.99, fading, 1.1);
    }

    @Test
    void everyEvaluatedSnapshotWithPrequentialMetricsIsAPointInStepOrder() {
        LearningCurve curve = LearningCurve.of("r", List.of(at(20, false, measured(0.6, 0.55)),
                at(10, false, measured(0.4, 0.35)), at(5, false, null), at(30, true, measured(0.7, 0.65))));

        assertThat(curve.hasPrequential()).isTrue();
        assertThat(curve.prequential()).containsExactly(new PrequentialPoint(10, 640, 0.4, 0.35, 1.0, 1.1),
                new PrequentialPoint(20, 1280, 0.6, 0.55, 1.0, 1.1), new PrequentialPoint(30, 1920, 0.7, 0.65, 1.0, 1.1));
        assertThat(LearningCurve.of("r", List.of(at(5, true, null))).hasPrequential())
                .as("records before the member").isFalse();
    }

    @Test
    void theThirdPanelDrawsWindowAndFadingAccuracyAgainstSamplesTrained() {
        LearningCurve curve = LearningCurve.of("r", List.of(at(10, false, measured(0.4, 0.35)),
                at(30, true, measured(0.7, 0.65))));
        XYChart chart = LearningCurvesChart.prequentialChart(List.of(curve));

        assertThat(chart.getSeriesMap()).containsOnlyKeys("r window", "r fading");
        assertThat(chart.getSeriesMap().get("r window").getXData()).containsExactly(640.0, 1920.0);
        assertThat(chart.getSeriesMap().get("r window").getYData()).containsExactly(40.0, 70.0);
        assertThat(chart.getSeriesMap().get("r fading").getYData()).containsExactly(35.0, 65.0);
        BufferedImage image = LearningCurvesChart.render(List.of(curve));
        assertThat(image.getWidth()).isEqualTo(3 * LearningCurvesChart.PANEL_WIDTH);
        assertThat(LearningCurvesChart.render(List.of(LearningCurvesChartTest.TUTORIAL)).getWidth())
                .as("without prequential metrics, the tutorial's two panels").isEqualTo(2 * LearningCurvesChart.PANEL_WIDTH);
    }
}
