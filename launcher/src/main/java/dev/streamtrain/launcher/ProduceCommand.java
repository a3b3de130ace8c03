package dev.streamtrain.launcher;

import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.dataset.LoadedDataset;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.ConfigOptions;
import dev.streamtrain.launcher.options.SeedOptions;
import dev.streamtrain.launcher.spec.RunSettings;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.StreamSettings;
import dev.streamtrain.launcher.options.DataOptions;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.StreamOptions;
import dev.streamtrain.launcher.options.ReplicationOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducedStream;
import dev.streamtrain.producer.ProducerMetrics;
import dev.streamtrain.launcher.options.MetricsOptions;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.launcher.options.DriftOptions;
import dev.streamtrain.launcher.options.LiveTrafficOptions;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.producer.Drift;
import dev.streamtrain.producer.Pacer;
import dev.streamtrain.producer.TrainingStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code streamtrain produce}: stream a dataset's minibatches and test set into Kafka. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Stream the test set and --epochs shuffled passes of the training set (or, with --loop, passes "
                + "until stopped), as minibatches, into Kafka.")
final class ProduceCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ReplicationOptions replication;
    @Mixin DataOptions data;
    @Mixin StreamOptions stream;
    @Mixin MetricsOptions metrics;

    @Option(names = {"--stream", "--run-id"}, paramLabel = "ID",
            description = "Id of the stream (its record key); trainers name it with --stream or --run-id "
                    + "(default: generated, printed).")
    String streamId;

    @Mixin LiveTrafficOptions live;
    @Mixin DriftOptions drift;
    @Mixin ConfigOptions config;
    @Mixin SeedOptions seed;

    @Override
    public Integer call() throws Exception {
        TopicReplication topicReplication = replication.replication(); // refused before anything starts
        SpecSettings settings = config.settings().overriddenBy(data.settings()).overriddenBy(stream.settings())
                .overriddenBy(seed.settings());
        if (live.loop() && settings.get(SpecKeys.EPOCHS).isPresent()) {
            throw new IllegalArgumentException("--loop streams passes until stopped: it takes no --epochs (set by "
                    + settings.get(SpecKeys.EPOCHS).orElseThrow().source() + ")");
        }
        StreamSettings streamSettings = StreamSettings.from(settings);
        long shuffleSeed = RunSettings.from(settings).seed();
        String id = streamId != null ? streamId : RunIds.generate();
        RunSpec.requireId("--stream", id);
        Pacer pacer = live.pacer();
        Drift drifting = drift.drift(shuffleSeed, data.noDownload(), err());
        LoadedDataset loaded = data.load(streamSettings, err());
        Sampling sampling = streamSettings.sampling(shuffleSeed, loaded.train().size());
        int epochs = live.loop() ? Minibatch.OPEN : streamSettings.epochs();
        TrainingStream training = new TrainingStream(id, loaded.train(), streamSettings.batchSize(), epochs, sampling,
                streamSettings.testBatchSize(), drifting);
        AtomicBoolean stop = new AtomicBoolean();
        // Ctrl-C / SIGTERM: stop between two batches, wait until what was sent is acked, then let the JVM exit
        StopOnShutdown shutdown = StopOnShutdown.install("producer-shutdown", () -> {
            stop.set(true);
            return true;
        });
        try (shutdown;
             MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.bind(), metrics.port(9401));
             ClusterConnection cluster = kafka.connect();
             MinibatchProducer producer = new MinibatchProducer(cluster.settings(), topics.topics(),
                     topicReplication, new ProducerMetrics(endpoint.registry())).bindTo(endpoint.registry())) {
            out().println("Stream id: " + id);
            int testBatches = producer.produceTestSet(loaded.test(), streamSettings.testBatchSize());
            out().printf("Producing stream %s: %s of %s%s%s%s%n", id, live.loop() ? "passes until stopped (Ctrl-C)"
                            : epochs + " epochs", loaded.train().name(),
                    pacer.rate() > 0 ? String.format(Locale.ROOT, " at %.0f samples/s", pacer.rate()) : "",
                    drifting.kind() == Drift.Kind.NONE ? "" : ", " + drifting,
                    live.loop() ? "; train on it now: streamtrain train --bootstrap-servers "
                            + cluster.settings().bootstrapServers() + " --stream " + id : "");
            out().flush();
            ProducedStream produced = producer.produce(training, pacer, stop::get);
            if (produced.validationBatches() > 0) {
                out().printf("Produced the validation split of stream %s: %d samples in %d batches to %s%n", id,
                        produced.validationSize(), produced.validationBatches(), topics.topics().testSet());
            }
            out().printf("Produced %d test batches to %s and stream %s: %d batches (%s of %s) at offsets "
                            + "%d..%d of %s%n", testBatches, topics.topics().testSet(), id, produced.batches(),
                    live.loop() ? "open" : stop.get() ? "stopped early; " + epochs + " epochs asked"
                            : epochs + " epochs", loaded.train().name(), produced.firstOffset(),
                    produced.lastOffset(), produced.topic());
            if (!live.loop()) {
                out().println("Train on it with: streamtrain train --bootstrap-servers "
                        + cluster.settings().bootstrapServers() + " --run-id " + id + " --from-offset "
                        + produced.firstOffset());
            }
            out().flush();
        }
        return ExitCodes.OK;
    }
}
