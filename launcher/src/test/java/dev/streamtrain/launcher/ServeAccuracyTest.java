package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.IdxArray;
import dev.streamtrain.contracts.dataset.IdxFile;
import dev.streamtrain.contracts.dataset.IdxFormat;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.PredictTopics;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.server.PredictRequest;
import dev.streamtrain.server.PredictRequestSerializer;
import dev.streamtrain.server.PredictResponse;
import dev.streamtrain.server.PredictResponseDeserializer;
import dev.streamtrain.server.Prediction;
import dev.streamtrain.server.Sample;
import dev.streamtrain.server.ServePolicy;
import dev.streamtrain.server.ServeService;
import dev.streamtrain.server.ServeSettings;
import dev.streamtrain.server.ServedModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} answers every image of a run's test set with exactly the accuracy the evaluator published for
 * the snapshot it serves: a run trained by {@code local} on generated IDX files, then served from its state dir
 * and asked, over HTTP, for the test set as the evaluator batches it, as one IDX upload, and one image at a time.
 */
class ServeAccuracyTest {

    private static final int TEST_IMAGES = 2000;

    @TempDir
    Path tmp;

    @Test
    void servesTheTestSetWithExactlyTheEvaluatorsAccuracyForTheServedSnapshot() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 1200, TEST_IMAGES, 21);
        Path state = tmp.resolve("state");
        // one epoch of SGD at lr 0.01: a network that gets many but not all test images right
        CommandRun local = CommandRun.of("local", "--data", data.toString(), "--no-download", "--state-dir",
                state.toString(), "--run-id", "served", "--epochs", "1", "--batch-size", "32", "--lr", "0.01", "--metrics-port", "-1",
                "--report", tmp.resolve("curves.png").toString());
        assertThat(local.exitCode()).as(local.err()).isZero();

        IdxArray images = IdxFile.read(data.resolve(IdxFormat.imagesFile(Split.TEST) + ".gz"));
        IdxArray labels = IdxFile.read(data.resolve(IdxFormat.labelsFile(Split.TEST) + ".gz"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            TestMetrics published = TopicRecords.readAll(broker.bootstrapServers(), TopicNames.DEFAULT_METRICS,
                    new StringDeserializer(), new TestMetricsDeserializer()).stream().map(ConsumerRecord::value)
                    .filter(m -> m.runId().equals("served") && m.finalSnapshot()).findFirst().orElseThrow();
            ServeSettings settings = new ServeSettings("served", ServePolicy.LATEST, TopicNames.DEFAULT,
                    PredictTopics.DEFAULT, false, null, state.resolve("streams"), "127.0.0.1", 0, 2, 1,
                    TopicReplication.BROKER_DEFAULTS);
            try (ServeService serve = new ServeService(kafka, settings, new SimpleMeterRegistry())) {
                serve.start();
                assertThat(serve.slot().awaitServed(Duration.ofSeconds(30))).isTrue();
                ServedModel served = serve.slot().current().orElseThrow();
                assertThat(served.sha256()).as("latest serves the final snapshot")
                        .isEqualTo(published.snapshotSha256());
                int batch = published.test().batchSize();
                System.out.printf("evaluator: accuracy %s of %d test images in batches of %d (snapshot step %d)%n",
                        published.accuracy(), published.testSamples(), batch, served.step());
                assertThat(published.testSamples()).isEqualTo(TEST_IMAGES);
                assertThat(published.accuracy()).as("neither all wrong nor all right").isBetween(0.2, 0.98);

                HttpClient client = HttpClient.newHttpClient();
                URI uri = URI.create(serve.predictUrl());
                // as the evaluator batches it: the same tensors, the same outputs bit for bit
                List<Prediction> batched = new ArrayList<>();
                for (int from = 0; from < TEST_IMAGES; from += batch) {
                    List<Sample> samples = new ArrayList<>();
                    for (int i = from; i < Math.min(TEST_IMAGES, from + batch); i++) {
                        samples.add(sample(images, i));
                    }
                    batched.addAll(post(client, uri, new PredictRequestSerializer().serialize(null,
                            new PredictRequest("batch-" + from, samples)), served));
                }
                assertThat(accuracy(batched, labels)).isEqualTo(published.accuracy());
                // the whole test file as one upload, and one image at a time
                List<Prediction> upload = post(client, uri, SyntheticIdxDataset.idxBytes(images.dims(), images.data()),
                        served);
                assertThat(accuracy(upload, labels)).isEqualTo(published.accuracy());
                List<Prediction> single = new ArrayList<>();
                long started = System.nanoTime();
                for (int i = 0; i < TEST_IMAGES; i++) {
                    single.addAll(post(client, uri, new PredictRequestSerializer().serialize(null,
                            new PredictRequest(null, List.of(sample(images, i)))), served));
                }
                System.out.printf("%d single-image requests in %.1f s%n", TEST_IMAGES,
                        (System.nanoTime() - started) / 1e9);
                assertThat(accuracy(single, labels)).isEqualTo(published.accuracy());
            }
        }
    }

    private static Sample sample(IdxArray images, int i) {
        return Sample.flat(Arrays.copyOfRange(images.data(), i * 784, (i + 1) * 784));
    }

    private static List<Prediction> post(HttpClient client, URI uri, byte[] body, ServedModel served)
            throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        PredictResponse answer = new PredictResponseDeserializer().deserialize(null, response.body());
        assertThat(answer.snapshot()).isEqualTo(served.ref());
        return answer.predictions();
    }

    private static double accuracy(List<Prediction> predictions, IdxArray labels) {
        assertThat(predictions).hasSize(labels.count());
        int correct = 0;
        for (int i = 0; i < predictions.size(); i++) {
            correct += predictions.get(i).predictedClass() == (labels.data()[i] & 0xFF) ? 1 : 0;
        }
        return (double) correct / predictions.size();
    }
}
