package dev.streamtrain.launcher;

import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.ConfigOptions;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.RecipeOptions;
import dev.streamtrain.launcher.options.SeedOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.options.ReplicationOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.launcher.spec.RecipeBuilder;
import dev.streamtrain.launcher.spec.RunSettings;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
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
        description = "Train one run per combination of --set values (any spec key but the stream's, or threads), "
                + "concurrently, on the same minibatch stream; compare them with 'streamtrain runs'.")
final class SweepCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ReplicationOptions replication;
    @Mixin ConfigOptions config;
    @Mixin SeedOptions seed;
    @Mixin RecipeOptions recipe;
    @Mixin ThreadOptions threads;

    @Option(names = "--set", paramLabel = "KEY=V1,V2,...", required = true,
            description = "Values to sweep, e.g. --set lr=1e-3,1e-2,1e-1 --set optimizer=sgd,adam --set seed=1,2.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--stream", paramLabel = "ID", description = "The minibatch stream to train on.")
    String stream;

    @Option(names = "--like", paramLabel = "RUN_ID",
            description = "Take the stream, its offsets and the settings of this recorded run (instead of --stream); "
                    + "--config and the flags change them.")
    String like;

    @Option(names = "--name", paramLabel = "PREFIX", description = "Run ids are PREFIX-<settings> "
            + "(default: sweep-<time>).")
    String name;

    @Option(names = "--from-offset", paramLabel = "OFFSET", description = "Where the stream starts, if known.")
    Long fromOffset;

    @Override
    public Integer call() throws Exception {
        List<RunOverrides> grid = RunOverrides.parse(set).grid();
        TopicReplication topicReplication = replication.replication(); // refused before anything starts
        String prefix = name != null ? name : "sweep-" + RunIds.generate().substring(4);
        SpecSettings given = config.settings().overriddenBy(seed.settings()).overriddenBy(recipe.settings());
        // Without --like every run is known before anything starts: a bad spec stops the sweep here.
        List<TrainerSettings> runs = like == null
                ? plan(fromStream(given, prefix, topicReplication), grid, given, prefix) : null;
        try (ClusterConnection cluster = kafka.connect()) {
            if (runs == null) {
                runs = plan(fromRun(cluster, topicReplication), grid, given, prefix);
            }
            out().printf(Locale.ROOT, "Sweep %s: %d runs on stream %s%n", prefix, runs.size(), runs.get(0).stream());
            ExecutorService pool = Executors.newFixedThreadPool(runs.size());
            try {
                List<Future<TrainingResult>> results = new ArrayList<>();
                for (TrainerSettings run : runs) {
                    out().printf(Locale.ROOT, "  %s: seed %d, %s%n", run.runId(), run.seed(), run.recipe().describe());
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

    /** What every run of the sweep starts from: the stream and settings, and the recipe the overrides change. */
    private record Base(TrainerSettings trainer, TrainingRecipe recipe) {
    }

    /** One run per point of the grid: the given settings and the point's on top of the base. */
    private static List<TrainerSettings> plan(Base base, List<RunOverrides> grid, SpecSettings given, String prefix) {
        List<TrainerSettings> runs = new ArrayList<>();
        for (RunOverrides o : grid) {
            SpecSettings settings = given.overriddenBy(o.settings());
            runs.add(base.trainer().forRun(prefix + "-" + o.suffix(), RecipeBuilder.build(settings, base.recipe()),
                    settings.longValue(SpecKeys.SEED, base.trainer().seed()),
                    settings.intValue(SpecKeys.SNAPSHOT_EVERY, base.trainer().snapshotEvery()),
                    o.threads(base.trainer().mathThreads()), RunSettings.engine(settings, base.trainer().engine())));
        }
        return runs;
    }

    private Base fromRun(ClusterConnection cluster, TopicReplication topicReplication) {
        RunRecord record = RunsTopicReader.find(cluster.settings(), topics.topics().runs(), like)
                .orElseThrow(() -> new IllegalArgumentException("--like: no run '" + like + "' on "
                        + topics.topics().runs()));
        return new Base(TrainerSettings.of(record).withReplication(topicReplication), record.spec().recipe());
    }

    private Base fromStream(SpecSettings given, String prefix, TopicReplication topicReplication) {
        if (stream == null) {
            throw new IllegalArgumentException("sweep needs the stream to train on: --stream ID or --like RUN_ID");
        }
        RunSettings run = RunSettings.from(given);
        TrainingRecipe tutorial = TrainingRecipe.tutorial();
        return new Base(new TrainerSettings(prefix, stream, tutorial, run.seed(), run.snapshotEvery(), 0,
                fromOffset == null ? OptionalLong.empty() : OptionalLong.of(fromOffset), topics.topics(),
                threads.threads(), run.engine()).withReplication(topicReplication), tutorial);
    }

    private static TrainingResult get(Future<TrainingResult> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
