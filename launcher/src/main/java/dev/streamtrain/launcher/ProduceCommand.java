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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamtrain produce}: stream a dataset's minibatches and test set into Kafka. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Stream the test set and --epochs shuffled passes of the training set, as minibatches, "
                + "into Kafka.")
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

    @Mixin ConfigOptions config;
    @Mixin SeedOptions seed;

    @Override
    public Integer call() throws Exception {
        TopicReplication topicReplication = replication.replication(); // refused before anything starts
        SpecSettings settings = config.settings().overriddenBy(data.settings()).overriddenBy(stream.settings())
                .overriddenBy(seed.settings());
        StreamSettings streamSettings = StreamSettings.from(settings);
        long shuffleSeed = RunSettings.from(settings).seed();
        String id = streamId != null ? streamId : RunIds.generate();
        RunSpec.requireId("--stream", id);
        LoadedDataset loaded = data.load(streamSettings, err());
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.bind(), metrics.port(9401));
             ClusterConnection cluster = kafka.connect();
             MinibatchProducer producer = new MinibatchProducer(cluster.settings(), topics.topics(),
                     topicReplication, new ProducerMetrics(endpoint.registry())).bindTo(endpoint.registry())) {
            out().println("Stream id: " + id);
            int testBatches = producer.produceTestSet(loaded.test(), streamSettings.testBatchSize());
            Sampling sampling = streamSettings.sampling(shuffleSeed, loaded.train().size());
            ProducedStream produced = producer.produceTrainingStream(id, loaded.train(), streamSettings.batchSize(),
                    streamSettings.epochs(), sampling, streamSettings.testBatchSize());
            if (produced.validationBatches() > 0) {
                out().printf("Produced the validation split of stream %s: %d samples in %d batches to %s%n", id,
                        produced.validationSize(), produced.validationBatches(), topics.topics().testSet());
            }
            out().printf("Produced %d test batches to %s and stream %s: %d batches (%d epochs of %s) at offsets "
                            + "%d..%d of %s%n", testBatches, topics.topics().testSet(), id, produced.batches(),
                    streamSettings.epochs(), loaded.train().name(), produced.firstOffset(), produced.lastOffset(),
                    produced.topic());
            out().println("Train on it with: streamtrain train --bootstrap-servers " + cluster.settings().bootstrapServers()
                    + " --run-id " + id + " --from-offset " + produced.firstOffset());
        }
        return ExitCodes.OK;
    }
}
