package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.report.ClassResultsChart;
import dev.streamtrain.report.EpochPoint;
import dev.streamtrain.report.LearningCurve;
import dev.streamtrain.report.LearningCurvesChart;
import dev.streamtrain.report.LearningCurvesReader;
import dev.streamtrain.report.ReportedSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code streamtrain report --run ID [--run ID2 ...] [--out FILE]}: the tutorial's figure and each run's
 * per-class results, from Kafka alone.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Draw the tutorial's figure from the metrics topic: train, validation (when the run has a "
                + "validation split) and test loss per epoch on one panel, test, validation and train accuracy on the "
                + "other, as a PNG. Repeat --run to overlay runs.",
                "Beside it, FILE-classes.png (curves-classes.png by default) shows per run the test accuracy per class "
                + "and the test confusion matrix of the run's reported snapshot: with a validation split the one of "
                + "lowest validation loss (its test figures are the ones shown), else the final one (while the run goes "
                + "on, the latest evaluated).",
                "Also prints the numbers drawn."})
final class ReportCommand extends StreamtrainSubcommand {

    private static final String ROW = "%6s %10s %11s %11s %9s";
    private static final String VALIDATION_COLUMNS = " %11s %9s";
    private static final String TRAIN_ACCURACY_COLUMN = " %10s";

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;

    @Option(names = "--run", paramLabel = "ID", required = true,
            description = "A run to draw; repeat to overlay several runs.")
    List<String> runs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "curves.png",
            description = "The PNG to write (default: ${DEFAULT-VALUE}); the per-class figure goes beside it, "
                    + "'-classes' added to its name.")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<String> ids = List.copyOf(new LinkedHashSet<>(runs));
        try (ClusterConnection cluster = kafka.connect()) {
            List<LearningCurve> curves = LearningCurvesReader.read(cluster.settings(), topics.topics().metrics(), ids);
            Map<String, RunRecord> known = RunsTopicReader.readAll(cluster.settings(), topics.topics().runs());
            requireEvaluated(known, curves);
            for (LearningCurve curve : curves) {
                print(curve, known.get(curve.runId()));
            }
            Path written = LearningCurvesChart.writePng(curves, out);
            out().println("Wrote " + written.toAbsolutePath());
            if (ClassResultsChart.drawable(curves)) {
                Path classes = ClassResultsChart.writePng(curves, ClassResultsTable::registeredNames,
                        ClassResultsChart.fileBeside(out));
                out().println("Wrote " + classes.toAbsolutePath());
            }
        }
        return ExitCodes.OK;
    }

    private static void requireEvaluated(Map<String, RunRecord> known, List<LearningCurve> curves) {
        List<LearningCurve> empty = curves.stream().filter(LearningCurve::isEmpty).toList();
        if (empty.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (LearningCurve curve : empty) {
            problems.add(known.containsKey(curve.runId())
                    ? "run '" + curve.runId() + "' has no evaluated epoch yet (is the evaluator running?)"
                    : "run '" + curve.runId() + "' is not known; known runs: " + known.keySet());
        }
        throw new IllegalArgumentException(String.join("; ", problems));
    }

    private void print(LearningCurve curve, RunRecord record) {
        out().printf(Locale.ROOT, "Run %s (%s, %s)%n", curve.runId(), curve.dataset(), curve.model());
        if (record != null) {
            out().println("  " + record.spec().recipe().describe());
        }
        boolean validation = curve.hasValidation();
        boolean trainAccuracy = curve.hasTrainAccuracy();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, ROW, "EPOCH", "SAMPLES", "TRAIN LOSS",
                "TEST LOSS", "ACCURACY"));
        if (validation) {
            header.append(String.format(Locale.ROOT, VALIDATION_COLUMNS, "VAL LOSS", "VAL ACC"));
        }
        if (trainAccuracy) {
            header.append(String.format(Locale.ROOT, TRAIN_ACCURACY_COLUMN, "TRAIN ACC"));
        }
        out().println(header);
        for (EpochPoint p : curve.epochs()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, ROW, p.epoch(), p.samplesSeen(),
                    loss(p.trainLoss()), loss(p.testLoss()), percent(p.accuracy())));
            if (validation) {
                row.append(String.format(Locale.ROOT, VALIDATION_COLUMNS, loss(p.validationLoss()),
                        percent(p.validationAccuracy())));
            }
            if (trainAccuracy) {
                row.append(String.format(Locale.ROOT, TRAIN_ACCURACY_COLUMN, percent(p.trainAccuracy())));
            }
            out().println(row);
        }
        if (curve.reported() != null) {
            printClasses(curve.reported(), ClassResultsTable.registeredNames(curve.dataset()));
        }
        out().println();
    }

    /** The reported snapshot: which one and why, then its test accuracy and samples per class. */
    private void printClasses(ReportedSnapshot s, List<String> names) {
        out().printf(Locale.ROOT, "Reported snapshot: epoch %d, step %d (sha256 %s…, %s): test accuracy %s, "
                        + "test loss %s%s%n", s.epoch(), s.step(), s.shaPrefix(), s.selection().description(),
                percent(s.accuracy()), loss(s.testLoss()),
                Double.isNaN(s.validationLoss()) ? "" : ", validation loss " + loss(s.validationLoss()));
        if (!s.hasClassResults()) {
            out().println("  no per-class results: its metrics record predates them");
            return;
        }
        out().print(ClassResultsTable.classes(s.test(), null, s.labels(names)));
    }

    private static String loss(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.6f", value);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
