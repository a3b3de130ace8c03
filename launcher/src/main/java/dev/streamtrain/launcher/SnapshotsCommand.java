package dev.streamtrain.launcher;

import dev.streamtrain.contracts.kafka.TopicScan;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code streamtrain snapshots --run ID}: a run's snapshots and what the evaluator measured on each. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "List a run's committed snapshots: epoch, step, samples seen, SHA-256 of the parameters and "
                + "the test accuracy the evaluator measured.")
final class SnapshotsCommand extends StreamtrainSubcommand {

    private static final String ROW = "%6s %8s %12s  %-64s  %9s %9s%n";

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;

    @Option(names = "--run", paramLabel = "ID", required = true, description = "The run.")
    String runId;

    @Option(names = "--classes", description = "Also print, for each evaluated snapshot, the test (and validation) "
            + "accuracy of every class and the test confusion matrix.")
    boolean classes;

    @Override
    public Integer call() {
        try (ClusterConnection cluster = kafka.connect();
             SnapshotsTopicReader reader = new SnapshotsTopicReader(cluster.settings(), topics.topics().snapshots())) {
            List<WeightSnapshot> snapshots = reader.ofRun(runId);
            if (snapshots.isEmpty()) {
                var known = RunsTopicReader.readAll(cluster.settings(), topics.topics().runs()).keySet();
                throw new IllegalArgumentException("run '" + runId + "' has no committed snapshots"
                        + (known.contains(runId) ? " yet" : "; known runs: " + known));
            }
            Map<String, TestMetrics> bySha = metricsOf(cluster, runId);
            boolean validation = snapshots.get(0).spec().hasValidation();
            String row = validation ? ROW.replace("%n", " %9s %9s%n") : ROW;
            out().printf(Locale.ROOT, row, "EPOCH", "STEP", "SAMPLES", "SHA256", "ACCURACY", "AVG LOSS", "VAL ACC",
                    "VAL LOSS");
            for (WeightSnapshot s : snapshots) {
                TestMetrics m = bySha.get(s.parametersSha256());
                boolean hasVal = m != null && m.hasValidation();
                out().printf(Locale.ROOT, row, s.epoch(), s.step(), s.samplesSeen(), s.parametersSha256(),
                        m == null ? "pending" : percent(m.accuracy()),
                        m == null ? "-" : String.format(Locale.ROOT, "%.6f", m.avgLoss()),
                        hasVal ? percent(m.validation().accuracy()) : "-",
                        hasVal ? String.format(Locale.ROOT, "%.6f", m.validation().avgLoss()) : "-");
            }
            if (classes) {
                for (WeightSnapshot s : snapshots) {
                    TestMetrics m = bySha.get(s.parametersSha256());
                    if (m != null) {
                        out().println();
                        out().print(ClassResultsTable.of(m, s.spec().dataset()));
                    }
                }
            }
        }
        return ExitCodes.OK;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** The run's metrics records by snapshot checksum (metrics are keyed by run id, so read them all). */
    private Map<String, TestMetrics> metricsOf(ClusterConnection cluster, String run) {
        Map<String, TestMetrics> bySha = new HashMap<>();
        Deserializer<TestMetrics> decoder = new TestMetricsDeserializer();
        TopicScan.forEach(cluster.settings(), topics.topics().metrics(), decoder, TestMetrics::runId,
                (key, m) -> {
                    if (run.equals(key)) {
                        bySha.put(m.snapshotSha256(), m);
                    }
                });
        return bySha;
    }
}
