package dev.streamtrain.launcher;

import dev.streamtrain.contracts.topic.PredictTopics;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.MetricsOptions;
import dev.streamtrain.launcher.options.ReplicationOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import dev.streamtrain.server.ServePolicy;
import dev.streamtrain.server.ServeService;
import dev.streamtrain.server.ServeSettings;
import dev.streamtrain.server.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code streamtrain serve}: predictions from a run's newest (or best) snapshot, over HTTP and Kafka. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve predictions of a run's snapshots: POST /predict over HTTP (JSON, PNG or IDX), and a "
                + "requests topic answered on a predictions topic (Kafka Streams, exactly once). Swaps to a new "
                + "snapshot as soon as it is committed (--policy latest) or measured better by the evaluator "
                + "(--policy best). Runs until interrupted.")
final class ServeCommand extends StreamtrainSubcommand {

    static final int DEFAULT_METRICS_PORT = 9404;

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ReplicationOptions replication;
    @Mixin ThreadOptions threads;
    @Mixin MetricsOptions metrics;

    @Option(names = "--run", paramLabel = "ID", required = true, description = "The run whose snapshots to serve.")
    String run;

    @Option(names = "--policy", paramLabel = "latest|best", defaultValue = "latest",
            description = "latest: the newest committed snapshot; best: the one the evaluator measured best (lowest "
                    + "validation loss, or test loss for runs without a validation split) (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ServeSettings.DEFAULT_PORT,
            description = "HTTP port of POST /predict (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address /predict listens on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for "
                    + "every interface).")
    String bind;

    @Option(names = "--http-threads", paramLabel = "N", defaultValue = "" + ServeSettings.DEFAULT_HTTP_THREADS,
            description = "Threads answering HTTP requests, each with its own copy of the network "
                    + "(default: ${DEFAULT-VALUE}).")
    int httpThreads;

    @Option(names = "--request-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_PREDICT_REQUESTS,
            description = "Prediction requests of the Kafka path (default: ${DEFAULT-VALUE}).")
    String requestTopic;

    @Option(names = "--prediction-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_PREDICTIONS,
            description = "Where the Kafka path answers, one record per request (default: ${DEFAULT-VALUE}).")
    String predictionTopic;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id of the Kafka path; a restart with the same id answers from "
                    + "where the last one stopped (default: " + ServeSettings.APPLICATION_ID_PREFIX + "<run>).")
    String applicationId;

    @Option(names = "--no-kafka-path", description = "Answer HTTP only: no requests topic, no Kafka Streams.")
    boolean noKafkaPath;

    @Override
    public Integer call() {
        ServeService.noDelay(); // before the metrics endpoint creates the process's first HTTP server
        ServeSettings settings = new ServeSettings(run, ServePolicy.of(policy), topics.topics(),
                new PredictTopics(requestTopic, predictionTopic), !noKafkaPath, applicationId,
                kafka.stateDir.resolve("streams"), bind, port, httpThreads, threads.threads(),
                replication.replication());
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Ctrl-C / SIGTERM: let the Kafka path commit what it answered and close before the JVM exits.
        StopOnShutdown shutdown = StopOnShutdown.install("serve-shutdown", () -> {
            done.complete(null);
            return true;
        });
        try (shutdown;
             MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.bind(), metrics.port(DEFAULT_METRICS_PORT));
             ClusterConnection cluster = kafka.connect();
             ServeService service = new ServeService(cluster.settings(), settings, endpoint.registry())) {
            endpoint.serveLivePage();
            service.slot().onSwap(this::swapped);
            service.failure().whenComplete((v, e) -> done.completeExceptionally(e));
            // said before it starts, so that it comes before the first "Serving snapshot" line
            out().println("Serving run " + run + " (policy " + settings.policy().label() + "): POST "
                    + service.predictUrl() + (settings.kafkaPath() ? "; Kafka: " + requestTopic + " -> "
                    + predictionTopic + " (application " + settings.applicationId() + ")" : "")
                    + (endpoint.url().isEmpty() ? "" : "; metrics " + endpoint.url()) + " (Ctrl-C stops)");
            out().flush();
            service.start();
            try {
                done.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
        }
        return ExitCodes.OK;
    }

    private void swapped(ServedModel model) {
        out().printf("Serving snapshot epoch %d, step %d (sha256 %s) of run %s%s%n", model.snapshot().epoch(),
                model.step(), model.sha256(), model.runId(), model.chosenBy().map(why -> ", " + why).orElse(""));
        out().flush();
    }
}
