package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.report.EpochPoint;
import dev.streamtrain.report.LearningCurve;
import dev.streamtrain.report.LearningCurvesChart;
import dev.streamtrain.report.LearningCurvesReader;
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

/** {@code streamtrain report --run ID [--run ID2 ...] [--out FILE]}: the tutorial's figure, from Kafka alone. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Draw the tutorial's figure from the metrics topic: train and test loss per epoch on one panel, "
                + "test accuracy per epoch on the other, as a PNG. Repeat --run to overlay runs. Also prints the "
                + "numbers drawn.")
final class ReportCommand extends StreamtrainSubcommand {

    private static final String ROW = "%6s %10s %11s %11s %9s%n";

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;

    @Option(names = "--run", paramLabel = "ID", required = true,
            description = "A run to draw; repeat to overlay several runs.")
    List<String> runs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "curves.png",
            description = "The PNG to write (default: ${DEFAULT-VALUE}).")
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
        out().printf(Locale.ROOT, ROW, "EPOCH", "SAMPLES", "TRAIN LOSS", "TEST LOSS", "ACCURACY");
        for (EpochPoint p : curve.epochs()) {
            out().printf(Locale.ROOT, ROW, p.epoch(), p.samplesSeen(), loss(p.trainLoss()), loss(p.testLoss()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * p.accuracy()));
        }
        out().println();
    }

    private static String loss(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.6f", value);
    }
}
