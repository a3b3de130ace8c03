package dev.streamtrain.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler.LegendPosition;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.streamtrain.report.LearningCurvesChart.HEIGHT;
import static dev.streamtrain.report.LearningCurvesChart.PANEL_WIDTH;

/**
 * The per-class results of each run's reported snapshot ({@link LearningCurve#reported()}), the PNG
 * beside the learning curves ({@link #fileBeside}): one row per run that has them, its test accuracy
 * per class as bars on the left (XChart), its test confusion matrix on the right as a heat map with
 * the counts written in (Java2D), in the run's colour. Cells are shaded by their share of the row
 * (the actual class), so a class with few samples reads as clearly as one with many.
 */
public final class ClassResultsChart {

    /** Cells smaller than this (pixels) are shaded without their count. */
    static final int MIN_CELL_FOR_COUNT = 16;

    private ClassResultsChart() {
    }

    /** {@code curves.png} → {@code curves-classes.png}, in the same directory. */
    public static Path fileBeside(Path curvesFile) {
        String name = curvesFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return curvesFile.resolveSibling(base + "-classes.png");
    }

    /** True if some run's reported snapshot carries per-class results, i.e. there is something to draw. */
    public static boolean drawable(List<LearningCurve> curves) {
        return curves.stream().anyMatch(LearningCurve::hasClassResults);
    }

    /** Writes the figure, classes labelled by index. */
    public static Path writePng(List<LearningCurve> curves, Path file) throws IOException {
        return writePng(curves, dataset -> null, file);
    }

    /**
     * Writes the figure of the runs of {@code curves} that have per-class results as a PNG to {@code file}.
     *
     * @param classNames a dataset's class names, in label order; null (or a list of another length) labels the
     *                   classes by index
     */
    public static Path writePng(List<LearningCurve> curves, Function<String, List<String>> classNames, Path file)
            throws IOException {
        return LearningCurvesChart.write(render(curves, classNames), file);
    }

    /** The figure: per run with per-class results, in the order given, its bars beside its confusion matrix. */
    public static BufferedImage render(List<LearningCurve> curves, Function<String, List<String>> classNames) {
        if (!drawable(curves)) {
            throw new IllegalArgumentException("no run has per-class results to draw (metrics records before they "
                    + "carried confusion matrices)");
        }
        int rows = (int) curves.stream().filter(LearningCurve::hasClassResults).count();
        BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            int row = 0;
            for (int i = 0; i < curves.size(); i++) {
                LearningCurve curve = curves.get(i);
                if (!curve.hasClassResults()) {
                    continue;
                }
                List<String> labels = curve.reported().labels(classNames.apply(curve.dataset()));
                Color color = LearningCurvesChart.color(i);
                g.drawImage(BitmapEncoder.getBufferedImage(accuracyChart(curve, labels, color)), 0, row * HEIGHT,
                        null);
                drawConfusion(g, curve, labels, color, PANEL_WIDTH, row * HEIGHT);
                row++;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The bars: test accuracy (%) per class of the run's reported snapshot; a class without samples has none. */
    static CategoryChart accuracyChart(LearningCurve curve, List<String> labels, Color color) {
        ReportedSnapshot s = curve.reported();
        CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(HEIGHT)
                .title(curve.runId() + " test accuracy per class").xAxisTitle("class, snapshot step " + s.step()
                        + " (" + s.selection().description() + ")").yAxisTitle("test accuracy (%)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe0e0e0));
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("0");
        if (labels.stream().mapToInt(String::length).sum() > 60) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
        List<Double> percent = new ArrayList<>();
        for (double a : s.classAccuracy()) {
            percent.add(Double.isNaN(a) ? null : 100 * a);
        }
        CategorySeries series = chart.addSeries(curve.runId() + " test", labels, percent);
        series.setFillColor(color);
        return chart;
    }

    /** Each cell's share of its row (the actual class's samples), in [0, 1]; 0 for a row without samples. */
    static double[][] rowShares(long[][] confusion) {
        double[][] out = new double[confusion.length][];
        for (int a = 0; a < confusion.length; a++) {
            long total = 0;
            for (long n : confusion[a]) {
                total += n;
            }
            out[a] = new double[confusion[a].length];
            for (int p = 0; p < out[a].length; p++) {
                out[a][p] = total == 0 ? 0 : (double) confusion[a][p] / total;
            }
        }
        return out;
    }

    /** White at 0, the run's colour at 1. */
    static Color shade(Color color, double share) {
        double s = Math.max(0, Math.min(1, share));
        return new Color(mix(color.getRed(), s), mix(color.getGreen(), s), mix(color.getBlue(), s));
    }

    private static int mix(int channel, double share) {
        return (int) Math.round(255 + (channel - 255) * share);
    }

    private static void drawConfusion(Graphics2D g, LearningCurve curve, List<String> labels, Color color, int x0,
                                      int y0) {
        long[][] confusion = curve.reported().confusion();
        double[][] shares = rowShares(confusion);
        int classes = confusion.length;
        g.setColor(Color.WHITE);
        g.fillRect(x0, y0, PANEL_WIDTH, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Font title = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setColor(Color.BLACK);
        g.setFont(title);
        centred(g, curve.runId() + " test confusion matrix", x0 + PANEL_WIDTH / 2, y0 + 22);

        g.setFont(label);
        centred(g, "rows: actual class, columns: predicted; shade: share of the row", x0 + PANEL_WIDTH / 2, y0 + 38);
        FontMetrics fm = g.getFontMetrics();
        int labelWidth = labels.stream().mapToInt(fm::stringWidth).max().orElse(0);
        int left = 30 + labelWidth + 8;
        int top = 48;
        int available = Math.min(PANEL_WIDTH - left - 20, HEIGHT - top - 40 - Math.min(labelWidth, 80));
        int cell = Math.max(1, available / Math.max(1, classes));
        int side = cell * classes;
        boolean rotate = labels.stream().anyMatch(l -> fm.stringWidth(l) > cell - 2);

        for (int a = 0; a < classes; a++) {
            for (int p = 0; p < classes; p++) {
                int cx = x0 + left + p * cell;
                int cy = y0 + top + a * cell;
                g.setColor(shade(color, shares[a][p]));
                g.fillRect(cx, cy, cell, cell);
            }
        }
        g.setColor(new Color(0xbdbdbd));
        g.setStroke(new BasicStroke(1));
        g.drawRect(x0 + left, y0 + top, side, side);

        Font count = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(12, cell / 3)));
        g.setFont(count);
        FontMetrics cm = g.getFontMetrics();
        if (cell >= MIN_CELL_FOR_COUNT) {
            for (int a = 0; a < classes; a++) {
                for (int p = 0; p < classes; p++) {
                    String text = Long.toString(confusion[a][p]);
                    if (cm.stringWidth(text) > cell - 2) {
                        continue;
                    }
                    g.setColor(shares[a][p] > 0.5 ? Color.WHITE : Color.BLACK);
                    centred(g, text, x0 + left + p * cell + cell / 2, y0 + top + a * cell + cell / 2
                            + cm.getAscent() / 2 - 1);
                }
            }
        }

        g.setFont(label);
        g.setColor(Color.BLACK);
        for (int c = 0; c < classes; c++) {
            String l = labels.get(c);
            int mid = c * cell + cell / 2;
            g.drawString(l, x0 + left - 6 - fm.stringWidth(l), y0 + top + mid + fm.getAscent() / 2 - 1);
            int below = y0 + top + side + 6;
            if (rotate) {
                AffineTransform saved = g.getTransform();
                g.translate(x0 + left + mid + fm.getAscent() / 2 - 1, below);
                g.rotate(Math.PI / 2);
                g.drawString(l, 0, 0);
                g.setTransform(saved);
            } else {
                centred(g, l, x0 + left + mid, below + fm.getAscent());
            }
        }
        int xTitle = y0 + top + side + 6 + (rotate ? Math.min(labelWidth, 80) : fm.getHeight()) + 16;
        centred(g, "predicted", x0 + left + side / 2, Math.min(xTitle, y0 + HEIGHT - 6));
        AffineTransform saved = g.getTransform();
        g.translate(x0 + 18, y0 + top + side / 2);
        g.rotate(-Math.PI / 2);
        centred(g, "actual", 0, 0);
        g.setTransform(saved);
    }

    private static void centred(Graphics2D g, String text, int x, int baseline) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
