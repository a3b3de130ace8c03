package dev.streamtrain.launcher;

import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.broker.BrokerSecurity;
import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.dataset.LoadedDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.launcher.options.BrokerSecurityOptions;
import dev.streamtrain.launcher.options.ConfigOptions;
import dev.streamtrain.launcher.options.DataOptions;
import dev.streamtrain.launcher.options.MetricsOptions;
import dev.streamtrain.launcher.options.RecipeOptions;
import dev.streamtrain.launcher.options.SeedOptions;
import dev.streamtrain.launcher.options.StreamOptions;
import dev.streamtrain.launcher.options.PrequentialOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.options.ReplicationOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.launcher.spec.RecipeBuilder;
import dev.streamtrain.launcher.spec.RunSettings;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.StreamSettings;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.report.ClassResultsChart;
import dev.streamtrain.report.LearningCurve;
import dev.streamtrain.report.LearningCurvesChart;
import dev.streamtrain.report.LearningCurvesReader;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code streamtrain local}: the whole pipeline on an embedded broker, in one process. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the tutorial end to end in one process: an embedded KRaft broker, the producer, the "
                + "trainer and the evaluator. Defaults reproduce the tutorial (Fashion-MNIST, tutorial-mlp, "
                + "cross-entropy, SGD lr 1e-3, batch 64, 10 epochs); --config FILE and the flags choose others.")
final class LocalCommand extends StreamtrainSubcommand {

    @Mixin ConfigOptions config;
    @Mixin DataOptions data;
    @Mixin StreamOptions stream;
    @Mixin SeedOptions seed;
    @Mixin RecipeOptions recipe;
    @Mixin TopicOptions topics;
    @Mixin ReplicationOptions replication;
    @Mixin ThreadOptions threads;
    @Mixin PrequentialOptions prequential;
    @Mixin MetricsOptions metrics;
    @Mixin BrokerSecurityOptions security;

    @Option(names = "--serve", description = "Keep serving the metrics endpoint after training, until interrupted.")
    boolean serve;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run's id (default: generated, printed).")
    String runId;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".streamtrain",
            description = "Broker data and Streams state (default: ${DEFAULT-VALUE}); topics outlive the command.")
    Path stateDir;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the run's learning curves (PNG) at the end (default: "
                    + "<state-dir>/reports/<run-id>.png).")
    Path report;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the embedded broker (default: ${DEFAULT-VALUE}, a free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        TopicReplication topicReplication = replication.replication(); // refused before anything starts
        Optional<BrokerSecurity> brokerSecurity = security.security(); // its files checked before anything starts
        SpecSettings settings = config.settings().overriddenBy(data.settings()).overriddenBy(stream.settings())
                .overriddenBy(seed.settings()).overriddenBy(recipe.settings());
        StreamSettings streamSettings = StreamSettings.from(settings);
        RunSettings runSettings = RunSettings.from(settings);
        TrainingRecipe training = RecipeBuilder.build(settings, TrainingRecipe.tutorial());
        String id = runId != null ? runId : RunIds.generate();
        RunSpec.requireId("--run-id", id);
        LoadedDataset loaded = data.load(streamSettings, err());
        // Refused before anything starts: a model that does not fit the dataset, or that the engine does not compute.
        Architecture architecture = Models.build(training.model(), training.modelOptions(),
                Shape.of(loaded.train().sampleShape()), loaded.train().numClasses());
        String engine = Engines.resolve(runSettings.engine(), architecture);
        Engines.get(engine).create(architecture, Losses.get(training.loss()));
        Sampling sampling = streamSettings.sampling(runSettings.seed(), loaded.train().size());
        LocalRun run = new LocalRun(id, streamSettings.epochs(), streamSettings.batchSize(),
                streamSettings.testBatchSize(), sampling, runSettings.seed(), training, runSettings.snapshotEvery(),
                threads.threads(), topics.topics(), runSettings.printAccuracy(), engine,
                topicReplication, prequential.spec());
        EmbeddedKafkaBroker.Builder brokerBuilder = EmbeddedKafkaBroker.builder(stateDir.resolve("kafka")).port(port);
        brokerSecurity.ifPresent(brokerBuilder::security);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.bind(), metrics.port(9400));
             EmbeddedKafkaBroker broker = brokerBuilder.build()) {
            broker.start();
            out().printf(Locale.ROOT, "Run %s on %s (%d train%s / %d test samples), batch %d, %d epochs%n  %s%n"
                            + "  loader %s%n  engine %s%n", id, loaded.train().name(),
                    loaded.train().size() - sampling.validationSize(),
                    sampling.hasValidation() ? " + " + sampling.validationSize() + " validation" : "",
                    loaded.test().size(), streamSettings.batchSize(), streamSettings.epochs(), training.describe(),
                    sampling.describe(), engine + (Engines.AUTO.equals(runSettings.engine()) ? " (auto)" : ""));
            out().println("Kafka broker at " + broker.bootstrapServers() + " (" + broker.securityProtocol()
                    + broker.security().map(s -> ", services log in as " + servicesUser(s)).orElse("") + "; state in "
                    + stateDir.toAbsolutePath() + ")");
            if (!endpoint.url().isEmpty()) {
                out().println("Metrics at " + endpoint.url() + ", live page at " + endpoint.serveLivePage());
            }
            out().println();
            KafkaSettings kafka = servicesLogin(broker);
            LocalResult result = new LocalPipeline(kafka, stateDir, out(), endpoint.registry())
                    .run(run, loaded.train(), loaded.test());
            TestMetrics last = result.metrics().get(result.metrics().size() - 1);
            out().printf(Locale.ROOT, "Run %s: final accuracy %.1f%%, avg loss %f, parameters sha256 %s%n", id,
                    100 * last.accuracy(), last.avgLoss(), result.training().finalSha256());
            if (last.hasValidation()) {
                out().printf(Locale.ROOT, "Run %s: final validation accuracy %.1f%%, avg loss %f%n", id,
                        100 * last.validation().accuracy(), last.validation().avgLoss());
            }
            Path curves = report != null ? report : stateDir.resolve("reports").resolve(id + ".png");
            List<LearningCurve> learningCurves = LearningCurvesReader.read(kafka, run.topics().metrics(), List.of(id));
            LearningCurvesChart.writePng(learningCurves, curves);
            out().println("Learning curves: " + curves.toAbsolutePath());
            if (ClassResultsChart.drawable(learningCurves)) {
                Path classes = ClassResultsChart.writePng(learningCurves, ClassResultsTable::registeredNames,
                        ClassResultsChart.fileBeside(curves));
                out().println("Per-class results: " + classes.toAbsolutePath());
            }
            out().printf(Locale.ROOT, "Done! Time taken: %.1f seconds%n", (System.nanoTime() - started) / 1e9);
            if (serve && !endpoint.url().isEmpty()) {
                out().println("Serving metrics at " + endpoint.url() + " until interrupted (Ctrl-C)");
                out().flush();
                new java.util.concurrent.CountDownLatch(1).await();
            }
            return ExitCodes.OK;
        }
    }

    /** How the producer, trainer, evaluator and report reach the broker: on a secured one, as {@link #servicesUser}. */
    private static KafkaSettings servicesLogin(EmbeddedKafkaBroker broker) {
        Map<String, String> config = new HashMap<>();
        broker.security().ifPresent(s -> config.putAll(s.clientConfig(servicesUser(s))));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaSettings(config);
    }

    /** The first super user: it has every ACL the services need, and needs no grant from anyone. */
    private static String servicesUser(BrokerSecurity security) {
        return security.superUsers().get(0);
    }
}
