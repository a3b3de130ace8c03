package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.ModelOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingListener;
import dev.streamtrain.trainer.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code streamtrain sweep --set lr=1e-3,1e-2,1e-1}: one run per combination of settings, all on
 * the same minibatch stream, concurrently, each with its own consumer group.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train one run per combination of --set values (lr, seed, threads), concurrently, on the same "
                + "minibatch stream; compare them with 'streamtrain runs'.")
final class SweepCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ModelOptions model;
    @Mixin ThreadOptions threads;

    @Option(names = "--set", paramLabel = "KEY=V1,V2,...", required = true,
            description = "Values to sweep, e.g. --set lr=1e-3,1e-2,1e-1 --set seed=1,2.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--stream", paramLabel = "ID", description = "The minibatch stream to train on.")
    String stream;

    @Option(names = "--like", paramLabel = "RUN_ID",
            description = "Take the stream, its offsets and the settings of this recorded run (instead of --stream).")
    String like;

    @Option(names = "--name", paramLabel = "PREFIX", description = "Run ids are PREFIX-<settings> "
            + "(default: sweep-<time>).")
    String name;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--from-offset", paramLabel = "OFFSET", description = "Where the stream starts, if known.")
    Long fromOffset;

    @Override
    public Integer call() throws Exception {
        List<RunOverrides> grid = RunOverrides.parse(set).grid();
        String prefix = name != null ? name : "sweep-" + RunIds.generate().substring(4);
        try (ClusterConnection cluster = kafka.connect()) {
            TrainerSettings base = base(cluster, prefix);
            List<TrainerSettings> runs = new ArrayList<>();
            for (RunOverrides o : grid) {
                runs.add(new TrainerSettings(prefix + "-" + o.suffix(), base.stream(), base.model(),
                        new OptimizerSpec(base.optimizer().name(), o.lr(base.optimizer().learningRate())),
                        o.seed(base.seed()), base.snapshotEvery(), base.maxEpochs(), base.fromOffset(), base.topics(),
                        o.threads(base.mathThreads())));
            }
            out().printf(Locale.ROOT, "Sweep %s: %d runs on stream %s%n", prefix, runs.size(), base.stream());
            ExecutorService pool = Executors.newFixedThreadPool(runs.size());
            try {
                List<Future<TrainingResult>> results = new ArrayList<>();
                for (TrainerSettings run : runs) {
                    out().printf(Locale.ROOT, "  %s: lr %s, seed %d%n", run.runId(), run.optimizer().learningRate(),
                            run.seed());
                    results.add(pool.submit(() -> new Trainer(cluster.settings(), run, new TrainingListener() { })
                            .run()));
                }
                for (Future<TrainingResult> f : results) {
                    TrainingResult r = get(f);
                    out().printf(Locale.ROOT, "%s: %d steps, last loss %f, final sha256 %s%n", r.runId(), r.steps(),
                            r.lastLoss(), r.finalSha256());
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return ExitCodes.OK;
    }

    private TrainerSettings base(ClusterConnection cluster, String prefix) {
        if (like != null) {
            RunRecord record = RunsTopicReader.find(cluster.settings(), topics.topics().runs(), like)
                    .orElseThrow(() -> new IllegalArgumentException("--like: no run '" + like + "' on "
                            + topics.topics().runs()));
            RunSpec spec = record.spec();
            return new TrainerSettings(prefix, spec.stream(), spec.model(), spec.optimizer(), spec.seed(),
                    spec.snapshotEvery(), spec.epochs(), OptionalLong.of(record.firstOffset()), spec.topics(),
                    spec.environment().mathThreads());
        }
        if (stream == null) {
            throw new IllegalArgumentException("sweep needs the stream to train on: --stream ID or --like RUN_ID");
        }
        return new TrainerSettings(prefix, stream, model.model, model.optimizer(), seed, model.snapshotEvery, 0,
                fromOffset == null ? OptionalLong.empty() : OptionalLong.of(fromOffset), topics.topics(),
                threads.threads());
    }

    private static TrainingResult get(Future<TrainingResult> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
