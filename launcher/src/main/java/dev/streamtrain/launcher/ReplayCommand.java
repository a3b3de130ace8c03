package dev.streamtrain.launcher;

import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.run.Environment;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.ReplicationOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.launcher.spec.RecipeBuilder;
import dev.streamtrain.launcher.spec.RunSettings;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.trainer.Reproduction;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TutorialProgressPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code streamtrain replay --run ID}: re-train a recorded run from the minibatch topic's recorded
 * offsets and check every snapshot is bit-identical (parameters and train loss); with {@code --set}
 * overrides, a new run on the same data.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-train a recorded run from its minibatches on Kafka. Without --set it must reproduce the "
                + "run: prints per snapshot 'reproduced' or 'differs' and exits 0 only if all are bit-identical. "
                + "With --set (any spec key but the stream's, or threads) it is a new run on the same data.")
final class ReplayCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ReplicationOptions replication;

    @Option(names = "--run", paramLabel = "ID", required = true, description = "The run to replay.")
    String runId;

    @Option(names = "--as", paramLabel = "NEW_ID", description = "Id of the new run (default: <ID>-replay-<time>).")
    String newId;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Change a setting: any spec key but the stream's (optimizer, lr, model, hidden, loss, "
                    + "schedule, seed, ...) or threads.")
    Map<String, String> set = new LinkedHashMap<>();

    @Override
    public Integer call() {
        RunOverrides overrides = RunOverrides.parse(set);
        TopicReplication topicReplication = replication.replication(); // refused before anything starts
        try (ClusterConnection cluster = kafka.connect()) {
            Map<String, RunRecord> runs = RunsTopicReader.readAll(cluster.settings(), topics.topics().runs());
            RunRecord original = runs.get(runId);
            if (original == null) {
                throw new IllegalArgumentException("no run '" + runId + "' on " + topics.topics().runs()
                        + "; known runs: " + runs.keySet());
            }
            if (!original.hasSnapshot()) {
                throw new IllegalArgumentException("run '" + runId + "' has no committed snapshot to compare with");
            }
            RunSpec spec = original.spec();
            int threads = overrides.threads(spec.environment().mathThreads());
            warnIfNotComparable(spec.environment(), EnvironmentProbe.current(threads));
            String id = newId != null ? newId : runId + "-replay-" + RunIds.generate().substring(4);
            out().printf(Locale.ROOT, "Replaying run %s as %s: stream %s, offsets %d..%d of %s%n", runId, id,
                    spec.stream(), original.firstOffset(), original.nextOffset() - 1, original.minibatchTopic());
            if (!original.skippedOffsets().isEmpty()) {
                out().printf(Locale.ROOT, "  skipping the bad minibatches the run skipped (--on-bad-minibatch skip), "
                        + "at offsets %s%n", original.skippedOffsets());
            }
            SpecSettings changes = overrides.settings();
            TrainerSettings settings = TrainerSettings.of(original).forRun(id,
                    RecipeBuilder.build(changes, spec.recipe()), changes.longValue(SpecKeys.SEED, spec.seed()),
                    changes.intValue(SpecKeys.SNAPSHOT_EVERY, spec.snapshotEvery()), threads,
                    RunSettings.engine(changes, spec.engine())).withReplication(topicReplication);
            List<WeightSnapshot> before = snapshotsOf(cluster, spec, runId);
            if (original.status() != RunStatus.FINISHED) {
                out().printf(Locale.ROOT, "  run %s is %s: replaying up to offset %d, where it stopped%n", runId,
                        original.status(), original.nextOffset() - 1);
            }
            // the snapshots at the same steps (those of an interval or a stop are the clock's), up to the same offset
            new Trainer(cluster.settings(), settings.reproducing(Reproduction.of(original, before)),
                    new TutorialProgressPrinter(out())).run();
            return compare(before, snapshotsOf(cluster, spec, id), id, overrides);
        }
    }

    private static List<WeightSnapshot> snapshotsOf(ClusterConnection cluster, RunSpec spec, String run) {
        try (SnapshotsTopicReader reader = new SnapshotsTopicReader(cluster.settings(), spec.topics().snapshots())) {
            return reader.ofRun(run);
        }
    }

    private int compare(List<WeightSnapshot> before, List<WeightSnapshot> replayed, String id,
                        RunOverrides overrides) {
        Map<Long, WeightSnapshot> after = replayed.stream()
                .collect(Collectors.toMap(WeightSnapshot::step, Function.identity()));
        if (!overrides.isEmpty()) {
            out().printf(Locale.ROOT, "New run %s trained on the data of %s with %s; compare them with "
                    + "'streamtrain runs'%n", id, runId, overrides.values());
            return ExitCodes.OK;
        }
        int same = 0;
        for (WeightSnapshot s : before) {
            WeightSnapshot r = after.get(s.step());
            // the train loss must match too, unless the original (a version 1 snapshot) did not record it
            boolean sameLoss = r != null
                    && (s.trainLoss().equals(EpochLoss.UNKNOWN) || s.trainLoss().equals(r.trainLoss()));
            // and the test-then-train state, window and fading sums, unless the original (before version 4) had none
            boolean samePrequential = r != null && (s.prequential() == null
                    || s.prequential().equals(r.prequential()));
            boolean reproduced = sameLoss && samePrequential && r.parametersSha256().equals(s.parametersSha256());
            same += reproduced ? 1 : 0;
            String detail = r == null ? "(no snapshot at this step)" : r.parametersSha256()
                    + (sameLoss ? "" : String.format(Locale.ROOT, " (train loss %s, was %s)",
                    r.trainLoss().mean(), s.trainLoss().mean()))
                    + (samePrequential ? "" : String.format(Locale.ROOT, " (test-then-train accuracy %s, was %s)",
                    r.prequentialMetrics() == null ? "unknown" : r.prequentialMetrics().windowAccuracy(),
                    s.prequentialMetrics().windowAccuracy()));
            out().printf(Locale.ROOT, "epoch %d step %d: %s %s%n", s.epoch(), s.step(),
                    reproduced ? "reproduced" : "differs   ", detail);
        }
        out().printf(Locale.ROOT, "reproduced: %d/%d snapshots bit-identical%n", same, before.size());
        return same == before.size() ? ExitCodes.OK : ExitCodes.NOT_REPRODUCED;
    }

    private static String kernels(String coreType) {
        return coreType == null ? "chosen by OpenBLAS" : "OPENBLAS_CORETYPE=" + coreType;
    }

    private void warnIfNotComparable(Environment then, Environment now) {
        StringBuilder differs = new StringBuilder();
        compare(differs, "DL4J", then.dl4jVersion(), now.dl4jVersion());
        compare(differs, "Kafka", then.kafkaVersion(), now.kafkaVersion());
        compare(differs, "Java", then.javaVersion(), now.javaVersion());
        compare(differs, "OS", then.os(), now.os());
        compare(differs, "CPU architecture", then.arch(), now.arch());
        compare(differs, "math threads", String.valueOf(then.mathThreads()), String.valueOf(now.mathThreads()));
        // Runs recorded before kernels (or OpenMP threads) were recorded have none: unknown, so not compared.
        boolean kernelsDiffer = then.blasCoreType() != null && !then.blasCoreType().equals(now.blasCoreType());
        if (kernelsDiffer) {
            compare(differs, "OpenBLAS kernels", kernels(then.blasCoreType()), kernels(now.blasCoreType()));
        }
        boolean threadsDiffer = then.ompNumThreads() != null && !then.ompNumThreads().equals(now.ompNumThreads());
        if (threadsDiffer) {
            compare(differs, "OpenMP threads", "OMP_NUM_THREADS=" + then.ompNumThreads(),
                    now.ompNumThreads() == null ? "OMP_NUM_THREADS unset" : "OMP_NUM_THREADS=" + now.ompNumThreads());
        }
        if (!differs.isEmpty()) {
            err().println("warning: run " + runId + " was trained with" + differs
                    + "; bit-identical snapshots are not expected");
        }
        if (kernelsDiffer || threadsDiffer) {
            err().println("  to replay with the run's settings: " + (kernelsDiffer ? "OPENBLAS_CORETYPE="
                    + then.blasCoreType() + " " : "") + (threadsDiffer ? "OMP_NUM_THREADS=" + then.ompNumThreads()
                    + " " : "") + "./streamtrain replay ...");
        }
    }

    private static void compare(StringBuilder differs, String what, String then, String now) {
        if (!then.equals(now)) {
            differs.append(differs.isEmpty() ? " " : ", ").append(what).append(' ').append(then)
                    .append(" (now ").append(now).append(')');
        }
    }

}
