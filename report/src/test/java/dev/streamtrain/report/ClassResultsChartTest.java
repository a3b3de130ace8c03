package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.TestMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.streamtrain.report.Evaluations.metrics;
import static dev.streamtrain.report.Evaluations.result;
import static dev.streamtrain.report.Evaluations.sha;
import static dev.streamtrain.report.LearningCurvesChart.HEIGHT;
import static dev.streamtrain.report.LearningCurvesChart.PALETTE;
import static dev.streamtrain.report.LearningCurvesChart.PANEL_WIDTH;
import static dev.streamtrain.report.LearningCurvesChartTest.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClassResultsChartTest {

    /** Ten classes, as Fashion-MNIST: class c has 10 + c samples, of which c are misread as class (c + 1) % 10. */
    static final long[][] CONFUSION = new long[10][10];

    static {
        for (int c = 0; c < 10; c++) {
            CONFUSION[c][c] = 10;
            CONFUSION[c][(c + 1) % 10] = c;
        }
    }

    /** A run whose reported snapshot has per-class results. */
    static LearningCurve withClasses(String run) {
        return LearningCurve.of(run, List.of(
                metrics(run, 1, 10, true, false, sha('1'), 1.2, 0.6, result("test", 1.1, CONFUSION), null),
                metrics(run, 2, 20, true, true, sha('2'), 0.9, 0.7, result("test", 0.9, CONFUSION), null)));
    }

    /** A run from before metrics carried per-class results. */
    static LearningCurve old(String run) {
        return LearningCurve.of(run, List.of(new TestMetrics(run, "fashion-mnist", "tutorial-mlp", 1, 10, 640, true,
                true, 0.5, 1.5, 100, sha('3'), 0, 0, 1.6)));
    }

    @Test
    void theBarsAreEachClassesDiagonalCountOverItsRowSumInPercent() {
        LearningCurve curve = withClasses("r");
        List<String> labels = curve.reported().labels(null);
        CategoryChart chart = ClassResultsChart.accuracyChart(curve, labels, PALETTE.get(0));

        CategorySeries bars = chart.getSeriesMap().get("r test");
        assertThat(List.<Object>copyOf(bars.getXData())).containsExactlyElementsOf(labels);
        List<Double> expected = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            long row = 0;
            for (long n : CONFUSION[c]) {
                row += n;
            }
            expected.add(100 * ((double) CONFUSION[c][c] / row));
        }
        assertThat(List.<Object>copyOf(bars.getYData())).containsExactlyElementsOf(expected);
        assertThat(expected.get(0)).isEqualTo(100.0);
        assertThat(bars.getFillColor()).isEqualTo(PALETTE.get(0));
        assertThat(chart.getXAxisTitle()).contains("step 20", "final");
    }

    @Test
    void theBarsAreLabelledByClassNamesWhenGiven() {
        LearningCurve curve = withClasses("r");
        List<String> names = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot");
        CategoryChart chart = ClassResultsChart.accuracyChart(curve, curve.reported().labels(names), PALETTE.get(0));
        assertThat(List.<Object>copyOf(chart.getSeriesMap().get("r test").getXData()))
                .containsExactlyElementsOf(names);
    }

    @Test
    void theHeatMapShadesEachCellByItsShareOfTheRow() {
        double[][] shares = ClassResultsChart.rowShares(new long[][] {{3, 1}, {0, 0}});
        assertThat(shares[0]).containsExactly(0.75, 0.25);
        assertThat(shares[1]).containsExactly(0, 0);
        assertThat(ClassResultsChart.shade(PALETTE.get(1), 1)).isEqualTo(PALETTE.get(1));
        assertThat(ClassResultsChart.shade(PALETTE.get(1), 0)).isEqualTo(Color.WHITE);
    }

    @Test
    void writesOneRowPerRunWithPerClassResultsBarsBesideTheConfusionMatrix(@TempDir Path dir) throws IOException {
        Path file = ClassResultsChart.writePng(List.of(withClasses("a"), old("b"), withClasses("c")),
                dir.resolve("sub/curves-classes.png"));

        assertThat(Files.readAllBytes(file)).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(2 * PANEL_WIDTH);
        assertThat(image.getHeight()).as("run b has nothing to draw").isEqualTo(2 * HEIGHT);
        Color a = PALETTE.get(0);
        Color c = PALETTE.get(2);
        assertThat(pixels(rows(image, 0), 0, PANEL_WIDTH, a)).as("a's bars").isGreaterThan(1000);
        assertThat(pixels(rows(image, 1), 0, PANEL_WIDTH, c)).as("c's bars in its run colour").isGreaterThan(1000);
        // class 0's whole row is its diagonal cell: one cell of full colour per matrix
        assertThat(pixels(rows(image, 0), PANEL_WIDTH, 2 * PANEL_WIDTH, a)).as("a's matrix").isGreaterThan(400);
        assertThat(pixels(rows(image, 1), PANEL_WIDTH, 2 * PANEL_WIDTH, c)).as("c's matrix").isGreaterThan(400);
        assertThat(pixels(image, 0, 2 * PANEL_WIDTH, PALETTE.get(1))).as("b is not drawn").isZero();
    }

    @Test
    void refusesWhenNoRunHasPerClassResults() {
        assertThat(ClassResultsChart.drawable(List.of(old("b")))).isFalse();
        assertThat(ClassResultsChart.drawable(List.of(old("b"), withClasses("a")))).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> ClassResultsChart.render(List.of(old("b")), d -> null))
                .withMessageStartingWith("no run has per-class results to draw");
    }

    @Test
    void itsFileLiesBesideTheCurves() {
        assertThat(ClassResultsChart.fileBeside(Path.of("out/curves.png")))
                .isEqualTo(Path.of("out/curves-classes.png"));
        assertThat(ClassResultsChart.fileBeside(Path.of("lr"))).isEqualTo(Path.of("lr-classes.png"));
    }

    private static BufferedImage rows(BufferedImage image, int row) {
        return image.getSubimage(0, row * HEIGHT, image.getWidth(), HEIGHT);
    }
}
