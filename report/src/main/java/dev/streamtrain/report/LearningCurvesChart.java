package dev.streamtrain.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;

/**
 * The tutorial's figure for one or more runs, drawn with XChart: loss per epoch on the left panel,
 * accuracy per epoch on the right; one colour per run, one line style per set: train solid,
 * validation dash-dotted (runs with a validation split), test dashed. Points whose value is not finite
 * (a train figure the snapshot did not carry, a diverged loss) are left out, and a series with no
 * point at all is not drawn, so records from before train accuracy and validation draw as they did.
 * When some run's metrics carry the trainer's test-then-train (prequential) metrics, a third panel
 * draws them against the samples trained on, one point per evaluated snapshot: the window's accuracy
 * solid, the fading accuracy dotted. The per-class results are drawn by {@link ClassResultsChart}.
 */
public final class LearningCurvesChart {

    public static final int PANEL_WIDTH = 640;
    public static final int HEIGHT = 480;

    /** Colours of the runs, in order (matplotlib's tab10, what the tutorial's plots use). */
    static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
            new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf));

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private LearningCurvesChart() {
    }

    /** Writes the figure of {@code curves} as a PNG to {@code file}, creating its directory. */
    public static Path writePng(List<LearningCurve> curves, Path file) throws IOException {
        return write(render(curves), file);
    }

    /** Writes {@code image} as a PNG to {@code file}, creating its directory. */
    static Path write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
        return file;
    }

    /** The figure: the loss panel beside the accuracy panel, and the test-then-train panel if some run has it. */
    public static BufferedImage render(List<LearningCurve> curves) {
        requirePoints(curves);
        boolean prequential = curves.stream().anyMatch(LearningCurve::hasPrequential);
        BufferedImage image = new BufferedImage((prequential ? 3 : 2) * PANEL_WIDTH, HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.drawImage(BitmapEncoder.getBufferedImage(lossChart(curves)), 0, 0, null);
            g.drawImage(BitmapEncoder.getBufferedImage(accuracyChart(curves)), PANEL_WIDTH, 0, null);
            if (prequential) {
                g.drawImage(BitmapEncoder.getBufferedImage(prequentialChart(curves)), 2 * PANEL_WIDTH, 0, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    static XYChart lossChart(List<LearningCurve> curves) {
        XYChart chart = panel("Loss per epoch", "loss");
        for (int i = 0; i < curves.size(); i++) {
            LearningCurve curve = curves.get(i);
            Color color = color(i);
            add(chart, curve.runId() + " train", curve, EpochPoint::trainLoss, color, SetStyle.TRAIN);
            add(chart, curve.runId() + " validation", curve, EpochPoint::validationLoss, color, SetStyle.VALIDATION);
            add(chart, curve.runId() + " test", curve, EpochPoint::testLoss, color, SetStyle.TEST);
        }
        return chart;
    }

    static XYChart accuracyChart(List<LearningCurve> curves) {
        XYChart chart = panel("Accuracy per epoch", "accuracy (%)");
        chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
        for (int i = 0; i < curves.size(); i++) {
            LearningCurve curve = curves.get(i);
            Color color = color(i);
            add(chart, curve.runId() + " train", curve, p -> 100 * p.trainAccuracy(), color, SetStyle.TRAIN);
            add(chart, curve.runId() + " validation", curve, p -> 100 * p.validationAccuracy(), color,
                    SetStyle.VALIDATION);
            add(chart, curve.runId() + " test", curve, p -> 100 * p.accuracy(), color, SetStyle.TEST);
        }
        // XChart labels only the ends of a narrow axis; on whole multiples of 5 it draws every tick
        DoubleSummaryStatistics accuracy = curves.stream().flatMap(c -> c.epochs().stream())
                .flatMapToDouble(p -> DoubleStream.of(p.accuracy(), p.trainAccuracy(), p.validationAccuracy()))
                .filter(Double::isFinite).map(a -> 100 * a).summaryStatistics();
        double low = Math.max(0, 5 * Math.floor(accuracy.getMin() / 5));
        double high = Math.min(100, Math.max(5 * Math.ceil(accuracy.getMax() / 5), low + 10));
        chart.getStyler().setYAxisMin(Math.min(low, high - 10));
        chart.getStyler().setYAxisMax(high);
        return chart;
    }

    /** Test-then-train accuracy against samples trained on: window solid with circles, fading dotted. */
    static XYChart prequentialChart(List<LearningCurve> curves) {
        XYChart chart = panel("Test-then-train accuracy", "accuracy (%)");
        chart.setXAxisTitle("samples trained");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
        for (int i = 0; i < curves.size(); i++) {
            LearningCurve curve = curves.get(i);
            addPrequential(chart, curve.runId() + " window", curve, p -> 100 * p.windowAccuracy(), color(i),
                    SeriesLines.SOLID, SeriesMarkers.CIRCLE);
            addPrequential(chart, curve.runId() + " fading", curve, p -> 100 * p.fadingAccuracy(), color(i),
                    SeriesLines.DOT_DOT, SeriesMarkers.NONE);
        }
        return chart;
    }

    private static void addPrequential(XYChart chart, String name, LearningCurve curve,
                                       ToDoubleFunction<PrequentialPoint> value, Color color, BasicStroke line,
                                       Marker marker) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (PrequentialPoint p : curve.prequential()) {
            double v = value.applyAsDouble(p);
            if (Double.isFinite(v)) {
                x.add((double) p.samplesSeen());
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(line);
        series.setMarker(marker);
    }

    /** How each evaluation set is drawn, the same on both panels. */
    enum SetStyle {
        TRAIN(SeriesLines.SOLID, SeriesMarkers.CIRCLE),
        VALIDATION(SeriesLines.DASH_DOT, SeriesMarkers.DIAMOND),
        TEST(SeriesLines.DASH_DASH, SeriesMarkers.SQUARE);

        final BasicStroke line;
        final Marker marker;

        SetStyle(BasicStroke line, Marker marker) {
            this.line = line;
            this.marker = marker;
        }
    }

    private static XYChart panel(String title, String yAxis) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yAxis).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe0e0e0));
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    private static void add(XYChart chart, String name, LearningCurve curve, ToDoubleFunction<EpochPoint> value,
                            Color color, SetStyle set) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochPoint p : curve.epochs()) {
            double v = value.applyAsDouble(p);
            if (Double.isFinite(v)) {
                x.add((double) p.epoch());
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return; // XChart cannot draw an empty series; the legend then simply lacks it
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(set.line);
        series.setMarker(set.marker);
    }

    static Color color(int run) {
        return PALETTE.get(run % PALETTE.size());
    }

    private static void requirePoints(List<LearningCurve> curves) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("no runs to draw");
        }
        for (LearningCurve curve : curves) {
            if (curve.isEmpty() && !curve.hasPrequential()) {
                throw new IllegalArgumentException("run " + curve.runId() + " has no evaluated epoch to draw");
            }
        }
    }
}
