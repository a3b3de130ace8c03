package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.PredictTopics;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.server.PredictRequest;
import dev.streamtrain.server.PredictRequestSerializer;
import dev.streamtrain.server.Sample;
import dev.streamtrain.server.ServePolicy;
import dev.streamtrain.server.ServeService;
import dev.streamtrain.server.ServeSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code streamtrain serve} on a run the benchmark trained: single-sample HTTP latency after warm-up
 * (p50 and p99 of sequential {@code POST /predict} requests of one test image each, timed by the
 * client, over one kept-alive connection), then the Kafka path's throughput (a backlog of
 * single-image requests on the requests topic, answered by a server started after it was written:
 * predictions per second from the first answer read, read_committed, to the last).
 */
final class ServingBench {

    record Result(Figure httpP50, Figure httpP99, Figure kafka) {
    }

    private ServingBench() {
    }

    static Result run(KafkaSettings kafka, Path workDir, BenchPlan plan, BenchData data, TopicNames topics,
                      String runId) throws Exception {
        ServeService.noDelay();
        int warmup = plan.quick() ? 50 : 3000;
        int timed = plan.quick() ? 100 : 10_000;
        int backlog = plan.quick() ? 500 : 100_000;
        ImageDataset images = data.test();
        PredictRequestSerializer serializer = new PredictRequestSerializer();
        int distinct = Math.min(images.size(), 1000);
        byte[][] bodies = new byte[distinct][];
        for (int i = 0; i < distinct; i++) {
            bodies[i] = serializer.serialize(null, new PredictRequest(null, List.of(Sample.flat(Arrays.copyOfRange(
                    images.pixels(), i * images.sampleSize(), (i + 1) * images.sampleSize())))));
        }

        double[] latencies = new double[timed];
        ServeSettings http = settings(runId, topics, PredictTopics.DEFAULT, false, workDir, plan);
        try (ServeService serve = new ServeService(kafka, http, new SimpleMeterRegistry())) {
            serve.start();
            if (!serve.slot().awaitServed(Duration.ofSeconds(60))) {
                throw new IllegalStateException("no snapshot of run " + runId + " was served within 60 s");
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(serve.predictUrl());
            for (int i = 0; i < warmup + timed; i++) {
                long started = System.nanoTime();
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % distinct])).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                long nanos = System.nanoTime() - started;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("POST /predict answered " + response.statusCode() + ": "
                            + new String(response.body()));
                }
                if (i >= warmup) {
                    latencies[i - warmup] = nanos / 1e6;
                }
            }
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        Map<String, Object> httpDetails = new LinkedHashMap<>();
        httpDetails.put("warmupRequests", warmup);
        httpDetails.put("timedRequests", timed);
        httpDetails.put("meanMs", Arrays.stream(latencies).average().orElse(Double.NaN));
        httpDetails.put("maxMs", sorted[sorted.length - 1]);
        httpDetails.put("what", "sequential POST /predict of one test image each (JSON, 784 pixels), one kept-alive "
                + "connection (JDK HttpClient), timed by the client from sending to the whole answer read; "
                + "nearest-rank percentiles after the warm-up requests");
        Figure p50 = Figure.measured("serve: HTTP latency, one sample, p50", LocalBench.percentile(sorted, 50), "ms",
                httpDetails);
        Figure p99 = Figure.measured("serve: HTTP latency, one sample, p99", LocalBench.percentile(sorted, 99), "ms",
                httpDetails);

        PredictTopics predict = new PredictTopics("bench.serve.requests", "bench.serve.predictions");
        try (Admin admin = Admin.create(kafka.admin())) {
            TopicProvisioner.ensureTopics(admin, predict, TopicReplication.BROKER_DEFAULTS);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.layered(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                Map.of()), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < backlog; i++) {
                producer.send(new ProducerRecord<>(predict.requests(), "req-" + i, bodies[i % distinct]));
            }
        }
        long firstAt = 0;
        long firstCount = 0;
        long read = 0;
        long lastAt;
        ServeSettings kafkaPath = settings(runId, topics, predict, true, workDir, plan);
        try (ServeService serve = new ServeService(kafka, kafkaPath, new SimpleMeterRegistry());
             KafkaConsumer<byte[], byte[]> answers = new KafkaConsumer<>(kafka.layered(Map.of(), Map.of(
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.GROUP_ID_CONFIG, "bench-serve-answers")),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            answers.subscribe(List.of(predict.predictions()));
            serve.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(plan.quick() ? 2 : 10).toNanos();
            while (read < backlog) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka path answered " + read + " of " + backlog
                            + " requests in time");
                }
                if (serve.failure().isCompletedExceptionally()) {
                    serve.failure().join();
                }
                int n = answers.poll(Duration.ofMillis(50)).count();
                if (n > 0 && firstAt == 0) {
                    firstAt = System.nanoTime();
                    firstCount = n;
                }
                read += n;
            }
            lastAt = System.nanoTime();
        }
        double seconds = (lastAt - firstAt) / 1e9;
        Map<String, Object> kafkaDetails = new LinkedHashMap<>();
        kafkaDetails.put("requests", backlog);
        kafkaDetails.put("samplesPerRequest", 1);
        kafkaDetails.put("seconds", seconds);
        kafkaDetails.put("what", "a backlog of single-image requests written before the server starts, answered by "
                + "the Kafka path (Kafka Streams, exactly_once_v2, its default two stream threads); predictions read read_committed "
                + "after the first batch of answers over the time from it to the last");
        Figure throughput = Figure.measured("serve: Kafka path, one sample per request", (read - firstCount) / seconds,
                "predictions/s", kafkaDetails);
        return new Result(p50, p99, throughput);
    }

    private static ServeSettings settings(String runId, TopicNames topics, PredictTopics predict, boolean kafkaPath,
                                          Path workDir, BenchPlan plan) {
        return new ServeSettings(runId, ServePolicy.LATEST, topics, predict, kafkaPath, "bench-serve",
                workDir.resolve("serve-streams"), "127.0.0.1", 0, ServeSettings.DEFAULT_HTTP_THREADS, plan.threads(),
                TopicReplication.BROKER_DEFAULTS);
    }
}
