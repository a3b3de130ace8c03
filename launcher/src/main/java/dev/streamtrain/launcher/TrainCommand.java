package dev.streamtrain.launcher;

import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.ModelOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.launcher.options.MetricsOptions;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerMetrics;
import dev.streamtrain.trainer.TrainingListener;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingResult;
import dev.streamtrain.trainer.TutorialProgressPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.OptionalLong;

/** {@code streamtrain train}: consume a stream's minibatches, train, publish snapshots. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train on a minibatch stream (forward, loss, backward, step per batch) and publish weight "
                + "snapshots at every epoch end.")
final class TrainCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ModelOptions model;
    @Mixin ThreadOptions threads;
    @Mixin MetricsOptions metrics;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run's id (default: generated, printed).")
    String runId;

    @Option(names = "--stream", paramLabel = "ID", description = "Stream to train on (default: the run id).")
    String stream;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the parameter initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "0",
            description = "Train only the first N epochs of the stream (default: ${DEFAULT-VALUE}, all of it).")
    int epochs;

    @Option(names = "--from-offset", paramLabel = "OFFSET",
            description = "Offset of the minibatch topic where the stream starts, as 'produce' prints it "
                    + "(default: search from the beginning of the topic).")
    Long fromOffset;

    @Override
    public Integer call() {
        String id = runId != null ? runId : RunIds.generate();
        TrainerSettings settings = new TrainerSettings(id, stream != null ? stream : id, model.model,
                model.optimizer(), seed, model.snapshotEvery, epochs,
                fromOffset == null ? OptionalLong.empty() : OptionalLong.of(fromOffset), topics.topics(),
                threads.threads());
        out().println("Run id: " + id);
        long started = System.nanoTime();
        TrainingResult result;
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.port(9402));
             ClusterConnection cluster = kafka.connect()) {
            result = new Trainer(cluster.settings(), settings, TrainingListener.both(
                    new TutorialProgressPrinter(out()), new TrainerMetrics(endpoint.registry())), endpoint.registry())
                    .run();
        }
        out().printf("Trained run %s: %d epochs, %d steps, %d samples, %d snapshots; final parameters sha256 %s%n",
                result.runId(), result.epochs(), result.steps(), result.samplesSeen(), result.snapshots(),
                result.finalSha256());
        out().printf("Done! Time taken: %.1f seconds%n", (System.nanoTime() - started) / 1e9);
        return ExitCodes.OK;
    }
}
