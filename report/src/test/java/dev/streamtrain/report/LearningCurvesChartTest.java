package dev.streamtrain.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LearningCurvesChartTest {

    /** Two epochs of the tutorial, as measured on Fashion-MNIST. */
    static final LearningCurve TUTORIAL = new LearningCurve("r1", "fashion-mnist", "tutorial-mlp", List.of(
            new EpochPoint(1, 60_000, 2.240531, 2.153328, 0.484),
            new EpochPoint(2, 120_000, 2.039216, 1.880709, 0.539)));
    /** A faster run, its first epoch's train loss unknown (a version 1 snapshot). */
    static final LearningCurve FASTER = new LearningCurve("r2", "fashion-mnist", "tutorial-mlp", List.of(
            new EpochPoint(1, 60_000, Double.NaN, 1.2, 0.61),
            new EpochPoint(2, 120_000, 0.9, 0.85, 0.70),
            new EpochPoint(3, 180_000, 0.7, 0.75, 0.73)));

    @Test
    void theLossPanelHasATrainAndATestCurvePerRun() {
        XYChart chart = LearningCurvesChart.lossChart(List.of(TUTORIAL, FASTER));

        assertThat(chart.getSeriesMap()).containsOnlyKeys("r1 train", "r1 test", "r2 train", "r2 test");
        assertPoints(chart.getSeriesMap().get("r1 train"), new double[] {1, 2}, new double[] {2.240531, 2.039216});
        assertPoints(chart.getSeriesMap().get("r1 test"), new double[] {1, 2}, new double[] {2.153328, 1.880709});
        assertPoints(chart.getSeriesMap().get("r2 train"), new double[] {2, 3}, new double[] {0.9, 0.7});
        assertPoints(chart.getSeriesMap().get("r2 test"), new double[] {1, 2, 3}, new double[] {1.2, 0.85, 0.75});
        assertThat(chart.getSeriesMap().get("r1 train").getLineColor())
                .isEqualTo(chart.getSeriesMap().get("r1 test").getLineColor())
                .isEqualTo(LearningCurvesChart.PALETTE.get(0));
        assertThat(chart.getSeriesMap().get("r2 test").getLineColor()).isEqualTo(LearningCurvesChart.PALETTE.get(1));
        assertThat(chart.getSeriesMap().get("r1 train").getLineStyle())
                .isNotEqualTo(chart.getSeriesMap().get("r1 test").getLineStyle());
    }

    @Test
    void theAccuracyPanelHasATestCurvePerRunInPercent() {
        XYChart chart = LearningCurvesChart.accuracyChart(List.of(TUTORIAL, FASTER));

        assertThat(chart.getSeriesMap()).as("records without train accuracy or validation draw only the test curve")
                .containsOnlyKeys("r1 test", "r2 test");
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(45);
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(75);
        assertPoints(chart.getSeriesMap().get("r1 test"), new double[] {1, 2},
                new double[] {100 * 0.484, 100 * 0.539});
        assertPoints(chart.getSeriesMap().get("r2 test"), new double[] {1, 2, 3}, new double[] {100 * 0.61,
                100 * 0.70, 100 * 0.73});
    }

    /** A run with a validation split, its train accuracy known from epoch 2 on. */
    static final LearningCurve VALIDATED = new LearningCurve("v", "fashion-mnist", "tutorial-mlp", List.of(
            new EpochPoint(1, 54_000, 2.2, 2.1, 0.48, Double.NaN, 2.15, 0.47),
            new EpochPoint(2, 108_000, 1.9, 1.85, 0.55, 0.52, 1.87, 0.56),
            new EpochPoint(3, 162_000, 1.6, 1.62, 0.61, 0.86, 1.60, 0.62)));

    @Test
    void aRunWithAValidationSplitAlsoDrawsItsValidationAndTrainAccuracyCurves() {
        XYChart loss = LearningCurvesChart.lossChart(List.of(TUTORIAL, VALIDATED));
        assertThat(loss.getSeriesMap()).containsOnlyKeys("r1 train", "r1 test", "v train", "v validation", "v test");
        assertPoints(loss.getSeriesMap().get("v validation"), new double[] {1, 2, 3}, new double[] {2.15, 1.87, 1.60});
        assertPoints(loss.getSeriesMap().get("v test"), new double[] {1, 2, 3}, new double[] {2.1, 1.85, 1.62});
        assertThat(loss.getSeriesMap().get("v validation").getLineColor())
                .isEqualTo(LearningCurvesChart.PALETTE.get(1));
        assertThat(List.of(loss.getSeriesMap().get("v train").getLineStyle(),
                loss.getSeriesMap().get("v validation").getLineStyle(),
                loss.getSeriesMap().get("v test").getLineStyle()))
                .as("one line style per set").doesNotHaveDuplicates();

        XYChart accuracy = LearningCurvesChart.accuracyChart(List.of(TUTORIAL, VALIDATED));
        assertThat(accuracy.getSeriesMap()).containsOnlyKeys("r1 test", "v train", "v validation", "v test");
        assertPoints(accuracy.getSeriesMap().get("v train"), new double[] {2, 3},
                new double[] {100 * 0.52, 100 * 0.86});
        assertPoints(accuracy.getSeriesMap().get("v validation"), new double[] {1, 2, 3},
                new double[] {100 * 0.47, 100 * 0.56, 100 * 0.62});
        assertThat(accuracy.getSeriesMap().get("v train").getLineStyle())
                .isEqualTo(loss.getSeriesMap().get("v train").getLineStyle());
        assertThat(accuracy.getStyler().getYAxisMax()).as("the axis spans the train accuracy too").isEqualTo(90);
        assertThat(accuracy.getStyler().getYAxisMin()).isEqualTo(45);
    }

    @Test
    void theAccuracyAxisSpansWholeMultiplesOfFiveAndAtLeastTenPoints() {
        XYChart one = LearningCurvesChart.accuracyChart(List.of(TUTORIAL));
        assertThat(one.getStyler().getYAxisMin()).isEqualTo(45);
        assertThat(one.getStyler().getYAxisMax()).isEqualTo(55);
        LearningCurve perfect = new LearningCurve("p", "mnist", "tutorial-mlp", List.of(
                new EpochPoint(1, 60_000, 0.1, 0.05, 0.995), new EpochPoint(2, 120_000, 0.05, 0.02, 1.0)));
        XYChart top = LearningCurvesChart.accuracyChart(List.of(perfect));
        assertThat(top.getStyler().getYAxisMin()).isEqualTo(90);
        assertThat(top.getStyler().getYAxisMax()).isEqualTo(100);
    }

    @Test
    void writesAPngWithBothPanelsDrawnInEachRunsColour(@TempDir Path dir) throws IOException {
        Path file = LearningCurvesChart.writePng(List.of(TUTORIAL, FASTER), dir.resolve("sub/curves.png"));

        assertThat(Files.readAllBytes(file)).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(2 * LearningCurvesChart.PANEL_WIDTH);
        assertThat(image.getHeight()).isEqualTo(LearningCurvesChart.HEIGHT);
        int half = LearningCurvesChart.PANEL_WIDTH;
        for (Color run : LearningCurvesChart.PALETTE.subList(0, 2)) {
            assertThat(pixels(image, 0, half, run)).as("loss panel in %s", run).isGreaterThan(200);
            assertThat(pixels(image, half, 2 * half, run)).as("accuracy panel in %s", run).isGreaterThan(100);
        }
        assertThat(pixels(image, 0, 2 * half, LearningCurvesChart.PALETTE.get(2))).as("no third run").isZero();
    }

    @Test
    void aSingleRunOfOneEpochIsDrawnAsPoints(@TempDir Path dir) throws IOException {
        LearningCurve one = new LearningCurve("r", "mnist", "tutorial-mlp",
                List.of(new EpochPoint(1, 60_000, 2.2, 2.1, 0.45)));
        BufferedImage image = ImageIO.read(LearningCurvesChart.writePng(List.of(one), dir.resolve("c.png")).toFile());
        assertThat(pixels(image, 0, LearningCurvesChart.PANEL_WIDTH, LearningCurvesChart.PALETTE.get(0)))
                .isGreaterThan(50);
    }

    @Test
    void refusesToDrawNothing() {
        assertThatIllegalArgumentException().isThrownBy(() -> LearningCurvesChart.render(List.of()))
                .withMessage("no runs to draw");
        LearningCurve empty = new LearningCurve("pending", "", "", List.of());
        assertThatIllegalArgumentException().isThrownBy(() -> LearningCurvesChart.render(List.of(TUTORIAL, empty)))
                .withMessage("run pending has no evaluated epoch to draw");
    }

    private static void assertPoints(XYSeries series, double[] x, double[] y) {
        assertThat(series.getXData()).containsExactly(x);
        assertThat(series.getYData()).containsExactly(y);
    }

    /** Pixels of exactly {@code color} in columns [from, to). */
    static int pixels(BufferedImage image, int from, int to, Color color) {
        int count = 0;
        for (int x = from; x < to; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    count++;
                }
            }
        }
        return count;
    }
}
