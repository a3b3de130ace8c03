package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** A scrape of the real /metrics endpoint after a pipeline run shows every service's meters. */
class MetricsEndpointTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    Path state;

    @Test
    void everyServiceMeterIsServedWithItsTagsAndSensibleValues() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        ImageDataset train = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 300, 1);
        ImageDataset test = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 2);
        LocalRun run = new LocalRun("metered", 2, 50, 50, true, 42, TrainingRecipe.tutorial(0.05), 0, 1,
                topics);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            LocalResult result = new LocalPipeline(KafkaSettings.of(KAFKA.bootstrapServers()), state,
                    new PrintStream(OutputStream.nullOutputStream()), endpoint.registry()).run(run, train, test);

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(endpoint.url())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            String scrape = response.body();
            String tags = "dataset=\"fashion-mnist\",model=\"tutorial-mlp\",run=\"metered\"";
            assertThat(value(scrape, "streamtrain_train_samples_total{" + tags + "}")).isEqualTo(600);
            assertThat(value(scrape, "streamtrain_train_batches_total{" + tags + "}")).isEqualTo(12);
            assertThat(value(scrape, "streamtrain_train_step_seconds_count{" + tags + "}")).isEqualTo(12);
            assertThat(value(scrape, "streamtrain_train_step_seconds_sum{" + tags + "}")).isPositive();
            assertThat(value(scrape, "streamtrain_train_epoch{" + tags + "}")).isEqualTo(2);
            assertThat(value(scrape, "streamtrain_train_loss{" + tags + "}")).isBetween(0.0, 2.5);
            double epoch2TrainLoss = result.metrics().get(1).trainLoss();
            assertThat(epoch2TrainLoss).isBetween(0.0, 2.5);
            assertThat(value(scrape, "streamtrain_train_epoch_loss{" + tags + "}")).as("epoch 2's mean train loss")
                    .isCloseTo(epoch2TrainLoss, within(1e-9));
            assertThat(value(scrape, "streamtrain_snapshots_published_total{" + tags + "}")).isEqualTo(2);
            assertThat(value(scrape, "streamtrain_test_accuracy{" + tags + "}")).isBetween(0.5, 1.0);
            assertThat(value(scrape, "streamtrain_test_loss{" + tags + "}")).isBetween(0.0, 2.5);
            assertThat(value(scrape, "streamtrain_evaluation_seconds_count{" + tags + "}")).isEqualTo(2);
            assertThat(value(scrape, "streamtrain_snapshot_to_metric_seconds_count{" + tags + "}")).isEqualTo(2);
            assertThat(value(scrape, "streamtrain_producer_batches_total{dataset=\"fashion-mnist\",run=\"metered\","
                    + "split=\"train\"}")).isEqualTo(12);
            assertThat(value(scrape, "streamtrain_producer_batches_total{dataset=\"fashion-mnist\",run=\"testset\","
                    + "split=\"test\"}")).isEqualTo(2);
            assertThat(value(scrape, "streamtrain_producer_bytes_total{dataset=\"fashion-mnist\",run=\"metered\","
                    + "split=\"train\"}"))
                    // 12 records of a 74-byte header (magic 4, version/split/dtype/rank 4, "fashion-mnist" 2+13,
                    // five i32 20, classes 2, count 4, dims 12, flags 1, seed 8, validationSize 4) and 789 bytes per
                    // sample (its index 4, 784 pixels, 1 label)
                    .isCloseTo(12 * 74 + 600 * 789, within(0.5));
            assertThat(scrape).contains("jvm_memory_used_bytes{", "process_cpu_usage ");
            // The GC pause timer appears with the first collection after the binder registered; force one.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                System.gc();
                assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).contains("jvm_gc_pause_seconds_count{");
            });
        }
    }

    @Test
    void kafkaClientMetricsIncludingConsumerLagAreServedWhileTheClientsRun() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        ImageDataset train = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 3000, 3);
        ImageDataset test = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 4);
        LocalRun run = new LocalRun("lagged", 2, 50, 50, true, 42, TrainingRecipe.tutorial(0.05), 0, 1,
                topics);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Pattern series = Pattern.compile("^(kafka_[a-z_]+)\\{[^}]*service=\"(\\w+)\"", Pattern.MULTILINE);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<LocalResult> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LocalPipeline(KafkaSettings.of(KAFKA.bootstrapServers()), state,
                            new PrintStream(OutputStream.nullOutputStream()), endpoint.registry()).run(run, train, test);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!done.isDone()) {
                String scrape = http.send(HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                series.matcher(scrape).results().forEach(r -> seen.add(r.group(2) + ":" + r.group(1)));
                Thread.sleep(200);
            }
            assertThat(done.get().training().steps()).isEqualTo(120);
        }
        // trainer and evaluator run for the whole pipeline; the producer's brief life is checked in
        // MinibatchProducerTest instead, where it is deterministic
        assertThat(seen).contains("trainer:kafka_consumer_fetch_manager_records_lag_max",
                "evaluator:kafka_consumer_fetch_manager_records_lag_max",
                "evaluator:kafka_stream_thread_commit_total");
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (MetricsEndpoint first = MetricsEndpoint.start(0)) {
            int port = URI.create(first.url()).getPort();
            assertThatThrownBy(() -> MetricsEndpoint.start(port)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metrics port " + port + " is in use; choose another with --metrics-port (0 = any free "
                            + "port, -1 = none)");
        }
        try (MetricsEndpoint none = MetricsEndpoint.start(-1)) {
            assertThat(none.url()).isEmpty();
        }
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as("series %s in scrape:%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void listensOnLoopbackByDefaultAndAnswersOnlyGetAndHead() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            assertThat(endpoint.url()).startsWith("http://127.0.0.1:");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(endpoint.url()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            for (String method : List.of("POST", "PUT", "DELETE")) {
                HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(endpoint.url()))
                        .method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(method).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
            }
        }
        try (MetricsEndpoint everywhere = MetricsEndpoint.start("0.0.0.0", 0)) {
            assertThat(everywhere.url()).startsWith("http://127.0.0.1:");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> MetricsEndpoint.start("192.0.2.1", 0))
                .withMessageStartingWith("cannot listen on 192.0.2.1:0 for metrics");
    }
}
