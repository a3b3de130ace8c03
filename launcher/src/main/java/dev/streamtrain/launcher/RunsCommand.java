package dev.streamtrain.launcher;

import dev.streamtrain.contracts.kafka.LatestByKey;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.evaluator.EvaluatorSettings;
import dev.streamtrain.evaluator.EvaluatorTopology;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Map;

/**
 * {@code streamtrain runs}: every run with its status, spec and best test accuracy, and under it the
 * run's model, loss, optimizer and schedule in full.
 */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List the runs recorded on the runs topic: status, spec, snapshots and the test accuracy of "
                + "the best snapshot the evaluator measured (by validation loss when the run has a validation split, "
                + "else by test accuracy).")
final class RunsCommand extends StreamtrainSubcommand {

    private static final String COLUMNS = " %-9s %-14s %-14s %-14s %-9s %6s %6s %5s %9s %8s  %s%n";

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = EvaluatorSettings.DEFAULT_APPLICATION_ID,
            description = "The evaluator's application id, whose state store holds each run's best snapshot "
                    + "(default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Override
    public Integer call() {
        try (ClusterConnection cluster = kafka.connect()) {
            Map<String, RunRecord> runs = RunsTopicReader.readAll(cluster.settings(), topics.topics().runs());
            Map<String, TestMetrics> best = LatestByKey.read(cluster.settings(),
                    EvaluatorTopology.bestSnapshotChangelog(applicationId), new TestMetricsDeserializer(),
                    TestMetrics::runId);
            if (runs.isEmpty()) {
                out().println("No runs on " + topics.topics().runs() + " yet: start one with 'streamtrain local'.");
                return ExitCodes.OK;
            }
            int width = Math.max(3, runs.keySet().stream().mapToInt(String::length).max().orElse(3));
            String row = "%-" + width + "s" + COLUMNS;
            out().printf(Locale.ROOT, row, "RUN", "STATUS", "DATASET", "MODEL", "LOSS", "OPTIMIZER", "BATCH",
                    "EPOCHS", "SEED", "SNAPSHOTS", "STEP", "BEST TEST ACCURACY");
            runs.values().forEach(run -> {
                RunSpec spec = run.spec();
                out().printf(Locale.ROOT, row, run.runId(), run.status(), spec.dataset(), spec.model(), spec.loss(),
                        spec.optimizer().name(), spec.batchSize(), spec.isOpen() ? "open" : spec.epochs(), spec.seed(),
                        run.snapshots(), run.step(), best(best.get(run.runId())));
                // the recipe in full, PyTorch's spelling of every hyperparameter
                out().printf(Locale.ROOT, "%" + width + "s  %s%n", "", spec.recipe().describe());
            });
        }
        return ExitCodes.OK;
    }

    /**
     * The best snapshot's test accuracy. With a validation split the best snapshot is the one of lowest
     * validation loss, and its test accuracy is reported (choosing on the test set would leak it).
     */
    private static String best(TestMetrics m) {
        if (m == null) {
            return "-";
        }
        String test = String.format(Locale.ROOT, "%.1f%% (epoch %d, step %d", 100 * m.accuracy(), m.epoch(), m.step());
        return m.hasValidation() ? test + String.format(Locale.ROOT, "; chosen by validation loss %.6f, validation "
                + "accuracy %.1f%%)", m.validation().avgLoss(), 100 * m.validation().accuracy()) : test + ")";
    }
}
