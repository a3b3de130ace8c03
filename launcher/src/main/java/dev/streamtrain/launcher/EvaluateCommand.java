package dev.streamtrain.launcher;

import dev.streamtrain.evaluator.EvaluationSetMissingException;
import dev.streamtrain.evaluator.EvaluatorService;
import dev.streamtrain.evaluator.EvaluatorSettings;
import dev.streamtrain.evaluator.TestReportPrinter;
import dev.streamtrain.launcher.options.ClusterConnection;
import dev.streamtrain.launcher.options.KafkaOptions;
import dev.streamtrain.launcher.options.MetricsOptions;
import dev.streamtrain.launcher.options.ThreadOptions;
import dev.streamtrain.launcher.options.ReplicationOptions;
import dev.streamtrain.launcher.options.TopicOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code streamtrain evaluate}: the test loop on every snapshot, as a Kafka Streams application. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run the test loop on every weight snapshot and publish one metrics record per snapshot; "
                + "runs until interrupted (or --exit-after).")
final class EvaluateCommand extends StreamtrainSubcommand {

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin ReplicationOptions replication;
    @Mixin ThreadOptions threads;
    @Mixin MetricsOptions metrics;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = EvaluatorSettings.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id; instances sharing it share the work "
                    + "(default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--exit-after", paramLabel = "RUN_ID",
            description = "Exit once the final snapshot of this run has been evaluated.")
    String exitAfter;

    @Option(names = "--test-set-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for a complete test set on the test topic (default: ${DEFAULT-VALUE}).")
    int testSetTimeout;

    @Override
    public Integer call() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        TestReportPrinter printer = new TestReportPrinter(out());
        EvaluatorSettings settings = new EvaluatorSettings(applicationId, kafka.stateDir.resolve("streams"),
                topics.topics(), Duration.ofSeconds(testSetTimeout), threads.threads(), replication.replication());
        // Ctrl-C / SIGTERM: let the Streams application commit and close before the JVM exits.
        StopOnShutdown shutdown = StopOnShutdown.install("evaluator-shutdown", () -> {
            done.complete(null);
            return true;
        });
        try (shutdown) {
            evaluate(settings, printer, done);
            out().println("Evaluator closed: the evaluations it wrote are committed");
            out().flush();
        }
        return ExitCodes.OK;
    }

    /** Evaluates snapshots until {@code done} completes, then closes the Streams application (committing). */
    private void evaluate(EvaluatorSettings settings, TestReportPrinter printer, CompletableFuture<Void> done) {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.bind(), metrics.port(9403));
             ClusterConnection cluster = kafka.connect();
             EvaluatorService service = new EvaluatorService(cluster.settings(), settings, m -> {
                 printer.onEvaluated(m);
                 if (m.finalSnapshot() && m.runId().equals(exitAfter)) {
                     done.complete(null);
                 }
             }, endpoint.registry())) {
            endpoint.serveLivePage();
            service.failure().whenComplete((v, e) -> done.completeExceptionally(e));
            service.start();
            out().println("Evaluating snapshots from " + settings.topics().snapshots() + " (Ctrl-C stops)");
            try {
                done.join();
            } catch (CompletionException e) {
                throw stopped(e);
            }
        }
    }

    /**
     * Why the evaluator stopped, as the command reports it: missing evaluation data is bad input, one
     * line naming the topic and what is missing; anything else is the failure itself.
     */
    private static RuntimeException stopped(CompletionException e) {
        Throwable cause = e.getCause();
        return EvaluationSetMissingException.in(cause)
                .<RuntimeException>map(missing -> new IllegalArgumentException("evaluator stopped: "
                        + missing.getMessage(), e))
                .orElse(cause instanceof RuntimeException runtime ? runtime : e);
    }
}
