package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.BadMinibatchPolicyConverter;
import dev.streamtrain.launcher.options.ConfigOptions;
import dev.streamtrain.launcher.options.DurationConverter;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.MetricsOptions;
import dev.streamtrain.launcher.options.RecipeOptions;
import dev.streamtrain.launcher.options.SeedOptions;
import dev.streamtrain.launcher.options.PrequentialOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.options.ReplicationOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.launcher.spec.RecipeBuilder;
import dev.streamtrain.launcher.spec.RunSettings;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerMetrics;
import dev.streamtrain.trainer.BadMinibatchPolicy;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingListener;
import dev.streamtrain.trainer.TrainingResult;
import dev.streamtrain.trainer.TutorialProgressPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/** {@code streamtrain train}: consume a stream's minibatches, train, publish snapshots. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train on a minibatch stream (forward, loss, backward, step per batch) and publish weight "
                + "snapshots at every epoch end. The stream fixes dataset, batch size and epochs; a --config file's "
                + "keys for those are for 'produce' and ignored here.")
final class TrainCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ReplicationOptions replication;
    @Mixin ConfigOptions config;
    @Mixin SeedOptions seed;
    @Mixin RecipeOptions recipe;
    @Mixin ThreadOptions threads;
    @Mixin PrequentialOptions prequential;
    @Mixin MetricsOptions metrics;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run's id (default: generated, printed).")
    String runId;

    @Option(names = "--stream", paramLabel = "ID", description = "Stream to train on (default: the run id).")
    String stream;

    @Option(names = "--wait-for-stream", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How long to wait for the stream's first minibatch before failing (default: "
                    + "${DEFAULT-VALUE}; it says on stderr after 5 s that it is waiting, and which streams it saw).")
    Duration waitForStream;

    @Option(names = "--on-bad-minibatch", paramLabel = "fail|skip", defaultValue = "fail",
            converter = BadMinibatchPolicyConverter.class,
            description = "A record of the stream that is not a minibatch: 'fail' stops the run naming its offset "
                    + "(default); 'skip' copies it to streamtrain.dlq, trains on, and records its offset in the run, "
                    + "so that a resume and 'replay' skip the same records.")
    BadMinibatchPolicy onBadMinibatch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "0",
            description = "Train only the first N epochs of the stream (default: ${DEFAULT-VALUE}, all of it; on an "
                    + "open stream, made by 'produce --loop', the run then never finishes).")
    int epochs;

    @Option(names = "--snapshot-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Also snapshot when this long has passed since the last snapshot (e.g. 30s, 5m), at the "
                    + "next step, or while waiting for minibatches if it has trained since (default: none). With "
                    + "--snapshot-every and the epoch ends, whichever comes first.")
    Duration snapshotInterval;

    @Option(names = "--from-offset", paramLabel = "OFFSET",
            description = "Offset of the minibatch topic where the stream starts, as 'produce' prints it "
                    + "(default: search from the beginning of the topic).")
    Long fromOffset;

    @Override
    public Integer call() {
        SpecSettings settings = config.settings().overriddenBy(seed.settings()).overriddenBy(recipe.settings());
        RunSettings run = RunSettings.from(settings);
        TrainingRecipe training = RecipeBuilder.build(settings, TrainingRecipe.tutorial());
        String id = runId != null ? runId : RunIds.generate();
        TrainerSettings trainerSettings = new TrainerSettings(id, stream != null ? stream : id, training, run.seed(),
                run.snapshotEvery(), epochs, fromOffset == null ? OptionalLong.empty() : OptionalLong.of(fromOffset),
                topics.topics(), threads.threads(), run.engine(), waitForStream, replication.replication(),
                onBadMinibatch).withPrequential(prequential.spec());
        out().println("Run id: " + id);
        out().println("  " + training.describe());
        long started = System.nanoTime();
        AtomicReference<Trainer> running = new AtomicReference<>();
        // Ctrl-C / SIGTERM: stop between two steps, snapshot where the run stands, say so, then let the JVM exit
        StopOnShutdown shutdown = StopOnShutdown.install("trainer-shutdown", () -> {
            Trainer trainer = running.get();
            if (trainer != null) {
                trainer.stop();
            }
            return trainer != null;
        });
        try (shutdown) {
            TrainingResult result;
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.bind(), metrics.port(9402));
                 ClusterConnection cluster = kafka.connect()) {
                Trainer trainer = new Trainer(cluster.settings(),
                        trainerSettings.withSnapshotInterval(snapshotInterval),
                        TrainingListener.both(new TutorialProgressPrinter(out(), run.printAccuracy()),
                                new TrainerMetrics(endpoint.registry())), endpoint.registry());
                running.set(trainer);
                result = trainer.run();
            }
            if (result.stopped()) {
                out().printf("Stopped run %s in epoch %d: %d steps, %d samples, %d snapshots; last parameters sha256 "
                                + "%s; 'train --run-id %s' with the same settings resumes it%n", result.runId(),
                        result.epochs(), result.steps(), result.samplesSeen(), result.snapshots(),
                        result.finalSha256(), result.runId());
            } else {
                out().printf("Trained run %s: %d epochs, %d steps, %d samples, %d snapshots; final parameters sha256 "
                                + "%s%n", result.runId(), result.epochs(), result.steps(), result.samplesSeen(),
                        result.snapshots(), result.finalSha256());
            }
            out().printf("Done! Time taken: %.1f seconds%n", (System.nanoTime() - started) / 1e9);
            out().flush();
        }
        return ExitCodes.OK;
    }
}
