package dev.streamtrain.launcher;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.launcher.bench.Bench;
import dev.streamtrain.launcher.bench.BenchData;
import dev.streamtrain.launcher.bench.BenchPlan;
import dev.streamtrain.launcher.bench.BenchReport;
import dev.streamtrain.launcher.options.ConfigOptions;
import dev.streamtrain.launcher.options.DataOptions;
import dev.streamtrain.launcher.options.RecipeOptions;
import dev.streamtrain.launcher.options.SeedOptions;
import dev.streamtrain.launcher.options.StreamOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.spec.RecipeBuilder;
import dev.streamtrain.launcher.spec.RunSettings;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.StreamSettings;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.layer.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code streamtrain bench}: how fast each part of the pipeline is, against PyTorch doing the same. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure, in one run: the training step alone of every engine and of DL4J's own fit; the "
                + "trainer from a pre-filled topic; the whole local pipeline; the producer's throughput; the "
                + "evaluator's test loop and snapshot-to-metric latency; peak memory of local, and of trainer and "
                + "evaluator as processes of their own; and the PyTorch peer (the same step, and the tutorial's "
                + "loop as written) when an interpreter has torch. Real data when its files are there (never "
                + "downloaded), generated data otherwise. Default: the tutorial (tutorial-mlp, batch 64, SGD lr "
                + "1e-3), 1 math thread, " + BenchCommand.DEFAULT_EPOCHS + " epochs (--epochs). Prints a table and "
                + "writes it as JSON. Takes about 3 minutes on 2 cores.")
final class BenchCommand extends StreamtrainSubcommand {

    static final int DEFAULT_EPOCHS = 5;
    /** --quick: generated data of this many training and test samples. */
    static final int QUICK_TRAIN = 640;
    static final int QUICK_TEST = 128;
    static final int GENERATED_TRAIN = 60_000;
    static final int GENERATED_TEST = 10_000;

    @Mixin ConfigOptions config;
    @Mixin DataOptions data;
    @Mixin StreamOptions stream;
    @Mixin SeedOptions seed;
    @Mixin RecipeOptions recipe;
    @Mixin ThreadOptions threads;

    @Option(names = "--json", paramLabel = "FILE", defaultValue = "bench.json",
            description = "Where to write the results as JSON (default: ${DEFAULT-VALUE}).")
    Path json;

    @Option(names = "--quick", description = "A tiny run (small generated data, a few steps) that checks "
            + "everything runs; its figures mean nothing.")
    boolean quick;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python interpreter of the PyTorch peer (default: the first of python3, /usr/bin/python3 "
                    + "where 'import torch' works).")
    String python;

    @Option(names = "--peer-library-path", paramLabel = "DIRS",
            description = "Put these directories first on the PyTorch peer's LD_LIBRARY_PATH, e.g. one holding "
                    + "OpenBLAS's libblas.so.3 when the peer's torch is linked against the system BLAS and that is "
                    + "the slow reference one (Debian's python3-torch without libopenblas0).")
    String peerLibraryPath;

    @Option(names = "--no-peer", description = "Skip the PyTorch peer.")
    boolean noPeer;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps before each step figure (default 30; "
            + "--quick 2).")
    Integer warmup;

    @Option(names = "--rounds", paramLabel = "N", description = "Timed rounds of each step figure; it is the median "
            + "round's (default 5; --quick 2).")
    Integer rounds;

    @Option(names = "--steps", paramLabel = "N", description = "Steps per timed round (default 100; --quick 3).")
    Integer steps;

    @Option(names = "--peer-epochs", paramLabel = "N",
            description = "Epochs of the PyTorch peer's tutorial loop (default 1).")
    Integer peerEpochs;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Keep the broker's data, the processes' output and the peer's files here (default: a "
                    + "temporary directory, deleted at the end).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        SpecSettings settings = config.settings().overriddenBy(data.settings()).overriddenBy(stream.settings())
                .overriddenBy(seed.settings()).overriddenBy(recipe.settings());
        StreamSettings streamSettings = StreamSettings.from(settings);
        RunSettings runSettings = RunSettings.from(settings);
        TrainingRecipe training = RecipeBuilder.build(settings, TrainingRecipe.tutorial());
        BenchData benchData = data(streamSettings, runSettings.seed());
        ImageDataset train = benchData.train();
        Architecture architecture = Models.build(training.model(), training.modelOptions(),
                Shape.of(train.sampleShape()), train.numClasses());
        training.transforms().forEach(t -> t.requireFits(Shape.of(train.sampleShape())));
        int epochs = settings.get(SpecKeys.EPOCHS).isPresent() ? streamSettings.epochs() : quick ? 2 : DEFAULT_EPOCHS;
        BenchPlan plan = new BenchPlan(training, architecture, streamSettings.batchSize(),
                streamSettings.testBatchSize(), threads.threads(), runSettings.seed(), runSettings.snapshotEvery(),
                streamSettings.sampling(runSettings.seed(), train.size()),
                orDefault(warmup, quick ? 2 : 30), orDefault(rounds, quick ? 2 : 5), orDefault(steps, quick ? 3 : 100),
                epochs, orDefault(peerEpochs, 1), quick, Engines.resolve(runSettings.engine(), architecture));
        out().printf(Locale.ROOT, "Benchmark of %s on %s (%s: %d train / %d test samples), batch %d, %d math "
                        + "thread%s%n", training.describe(), train.name(), benchData.source(), train.size(),
                benchData.test().size(), plan.batchSize(), plan.threads(), plan.threads() == 1 ? "" : "s");

        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("streamtrain-bench-");
        long started = System.nanoTime();
        BenchReport report;
        try {
            report = new Bench(out()).run(new Bench.Inputs(plan, benchData, settings.toYaml(),
                    Optional.ofNullable(python), Optional.ofNullable(peerLibraryPath), !noPeer, work));
        } finally {
            if (workDir == null) {
                deleteRecursively(work);
            }
        }
        out().println();
        report.printTable(out());
        report.writeJson(json);
        out().println();
        out().println("Wrote " + json.toAbsolutePath());
        out().printf(Locale.ROOT, "Done! Time taken: %.1f seconds%n", (System.nanoTime() - started) / 1e9);
        return ExitCodes.OK;
    }

    /** --quick: small generated data; else the real dataset when its files are there, else generated data. */
    private BenchData data(StreamSettings settings, long seed) {
        if (quick) {
            return BenchData.generate("generated", QUICK_TRAIN, QUICK_TEST, seed);
        }
        return data.loadIfPresent(settings).map(found -> BenchData.of(found.dataset(), found.directory()))
                .orElseGet(() -> {
                    err().println("bench: no files of " + settings.dataset() + " found (bench never downloads); "
                            + "using generated 1x28x28 images of 10 classes");
                    return BenchData.generate("generated", GENERATED_TRAIN, GENERATED_TEST, seed);
                });
    }

    private static int orDefault(Integer given, int otherwise) {
        return given != null ? given : otherwise;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
