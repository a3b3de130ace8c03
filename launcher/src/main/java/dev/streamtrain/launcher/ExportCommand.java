package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.engine.dl4j.Dl4jModelExport;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.model.loss.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code streamtrain export --run ID [--step N] [--out FILE]}: a snapshot as a DL4J ModelSerializer zip. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a run's snapshot (the latest, or the one at --step) as a DL4J ModelSerializer zip, "
                + "whatever engine trained it: plain DL4J restores it with MultiLayerNetwork.load(file, false), and "
                + "its output(x) takes one row of C*H*W values per sample (after ToTensor and the run's transforms).")
final class ExportCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;

    @Option(names = "--run", paramLabel = "ID", required = true, description = "The run.")
    String runId;

    @Option(names = "--step", paramLabel = "N", description = "The snapshot at this step (default: the latest).")
    Long step;

    @Option(names = "--out", paramLabel = "FILE",
            description = "The zip to write (default: <run>-step<N>.zip).")
    Path out;

    @Override
    public Integer call() throws IOException {
        try (ClusterConnection cluster = kafka.connect();
             SnapshotsTopicReader reader = new SnapshotsTopicReader(cluster.settings(), topics.topics().snapshots())) {
            List<WeightSnapshot> snapshots = reader.ofRun(runId);
            if (snapshots.isEmpty()) {
                var known = RunsTopicReader.readAll(cluster.settings(), topics.topics().runs()).keySet();
                throw new IllegalArgumentException("run '" + runId + "' has no committed snapshots"
                        + (known.contains(runId) ? " yet" : "; known runs: " + known));
            }
            WeightSnapshot snapshot = step == null ? snapshots.get(snapshots.size() - 1) : snapshots.stream()
                    .filter(s -> s.step() == step).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("run '" + runId + "' has no snapshot at step "
                            + step + "; its snapshots are at steps " + snapshots.stream().map(s -> s.step())
                            .toList()));
            Path zip = out != null ? out : Path.of(runId + "-step" + snapshot.step() + ".zip");
            Dl4jModelExport.write(snapshot.spec().architecture(), Losses.get(snapshot.spec().loss()),
                    snapshot.parameters(), zip);
            out().printf("Wrote %s: run %s, epoch %d, step %d, parameters sha256 %s (%s, trained by engine %s)%n",
                    zip.toAbsolutePath(), runId, snapshot.epoch(), snapshot.step(), snapshot.parametersSha256(),
                    snapshot.spec().recipe().describeModel(), snapshot.spec().engine());
            if (!snapshot.spec().transforms().isEmpty()) {
                out().println("Its inputs are pixels after " + snapshot.spec().recipe().describeTransforms());
            }
        }
        return ExitCodes.OK;
    }
}
