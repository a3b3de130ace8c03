package dev.streamtrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus server (Debian's {@code prometheus}, which CI installs) on loopback scrapes the
 * metrics endpoint of a pipeline run, and {@code streamtrain_test_accuracy} is read back through its
 * HTTP API. Skipped only where no {@code prometheus} binary exists.
 */
class RealPrometheusTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    Path tmp;
    private Process prometheus;

    @AfterEach
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    @Test
    void prometheusScrapesTheTestAccuracyOfARun() throws Exception {
        Path binary = Path.of("/usr/bin/prometheus");
        assumeTrue(Files.isExecutable(binary), "no prometheus binary (apt-get install prometheus)");
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        LocalRun run = new LocalRun("scraped", 1, 50, 50, true, 42, TrainingRecipe.tutorial(0.05), 0, 1,
                topics);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            LocalResult result = new LocalPipeline(KafkaSettings.of(KAFKA.bootstrapServers()), tmp.resolve("state"),
                    new PrintStream(OutputStream.nullOutputStream()), endpoint.registry())
                    .run(run, SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 300, 1),
                            SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 2));
            double accuracy = result.metrics().get(result.metrics().size() - 1).accuracy();

            int port = freePort();
            Path config = tmp.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: streamtrain
                        metrics_path: /metrics
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(URI.create(endpoint.url()).getPort()));
            prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();

            String query = "http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode("streamtrain_test_accuracy{run=\"scraped\"}", StandardCharsets.UTF_8);
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            JsonNode[] sample = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        JsonNode answer = json.readTree(http.send(HttpRequest.newBuilder(URI.create(query)).build(),
                                HttpResponse.BodyHandlers.ofString()).body());
                        sample[0] = answer.path("data").path("result").path(0);
                        return "success".equals(answer.path("status").asText()) && !sample[0].isMissingNode();
                    });
            assertThat(sample[0].path("metric").path("dataset").asText()).isEqualTo("fashion-mnist");
            assertThat(sample[0].path("metric").path("model").asText()).isEqualTo("tutorial-mlp");
            assertThat(sample[0].path("metric").path("job").asText()).isEqualTo("streamtrain");
            assertThat(Double.parseDouble(sample[0].path("value").path(1).asText())).isEqualTo(accuracy);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
