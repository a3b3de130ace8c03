package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.PredictTopics;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducerListener;
import dev.streamtrain.server.PredictRequest;
import dev.streamtrain.server.PredictRequestSerializer;
import dev.streamtrain.server.PredictResponse;
import dev.streamtrain.server.PredictResponseDeserializer;
import dev.streamtrain.server.Predictor;
import dev.streamtrain.server.Sample;
import dev.streamtrain.server.ServePolicy;
import dev.streamtrain.server.ServedModel;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingListener;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code streamtrain serve}'s Kafka path (Kafka Streams, exactly_once_v2) as an OS process, killed with SIGKILL
 * while answering a backlog of requests, with answers in an open transaction, and restarted with the same
 * application id and state dir: the predictions topic, read read_committed, ends with exactly one prediction per
 * request, each the one the server's Predictor makes in this JVM.
 */
class ServeCrashTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    private static final TopicNames TOPICS = TopicNames.DEFAULT;
    private static final PredictTopics PREDICT = PredictTopics.DEFAULT;
    private static final String RUN = "served-run";
    private static final int REQUESTS = 20_000;

    @TempDir
    Path tmp;
    private final KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());

    @RegisterExtension
    final CommandProcesses processes = new CommandProcesses(() -> tmp);

    @Test
    void aKilledServerRestartsAndAnswersEveryRequestExactlyOnce() throws Exception {
        try (MinibatchProducer producer = new MinibatchProducer(kafka, TOPICS, ProducerListener.NONE)) {
            producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 200, 5), 100);
            producer.produceTrainingStream(RUN, SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 640, 6), 32,
                    1, new Sampling(true, false, 1, 0), 100);
        }
        new Trainer(kafka, new TrainerSettings(RUN, RUN, TrainingRecipe.tutorial(0.05), 42, 0, 0,
                OptionalLong.empty(), TOPICS, 1), new TrainingListener() { }).run();
        WeightSnapshot snapshot;
        try (SnapshotsTopicReader reader = new SnapshotsTopicReader(kafka, TOPICS.snapshots())) {
            snapshot = reader.ofRun(RUN).get(0);
        }

        // a backlog of single-image requests, keyed by their ids
        ImageDataset images = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 500, 9);
        TopicProvisioner.ensureTopics(Admin.create(kafka.admin()), PREDICT, TopicReplication.BROKER_DEFAULTS);
        Map<String, PredictRequest> requests = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            PredictRequestSerializer serializer = new PredictRequestSerializer();
            for (int i = 0; i < REQUESTS; i++) {
                int image = i % images.size();
                PredictRequest request = new PredictRequest(null, List.of(Sample.flat(Arrays.copyOfRange(
                        images.pixels(), image * 784, (image + 1) * 784))));
                requests.put("req-" + i, request);
                producer.send(new ProducerRecord<>(PREDICT.requests(), "req-" + i, serializer.serialize(null, request)));
            }
        }

        // Kill once a quarter of the answers is committed, while the next ones are in an open transaction: freeze the
        // process (SIGSTOP) when one is seen open, and kill it (SIGKILL) if it is still open once in-flight requests
        // have landed.
        Process first = startServe(0);
        int target = REQUESTS / 4;
        int seen = 0;
        int freezes = 0;
        List<TopicPartition> partitions = IntStream.range(0, TopicConfigs.PREDICT_PARTITIONS)
                .mapToObj(p -> new TopicPartition(PREDICT.predictions(), p)).toList();
        try (Admin admin = Admin.create(kafka.admin());
             KafkaConsumer<byte[], byte[]> committed = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            committed.assign(partitions);
            committed.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                if (!first.isAlive()) {
                    throw new AssertionError("serve exited (" + first.exitValue() + ") before its kill, after " + seen
                            + " committed answers; its stdout:\n" + Files.readString(out(0)) + "\nits stderr:\n"
                            + Files.readString(err(0)));
                }
                assertThat(System.nanoTime()).as("%d answers within 120 s", target).isLessThan(deadline);
                seen += committed.poll(Duration.ofMillis(seen < target ? 20 : 0)).count();
                if (seen >= target && OpenTransactions.on(admin, partitions)) {
                    CommandProcesses.signal(first, "STOP");
                    freezes++;
                    Thread.sleep(300);
                    if (OpenTransactions.on(admin, partitions)) {
                        break;
                    }
                    CommandProcesses.signal(first, "CONT"); // it was committing: catch the next one
                }
            }
            first.destroyForcibly(); // SIGKILL: no close, no commit, no abort
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        }
        int committedAtKill = answers().size();
        System.out.printf("serve killed (after %d freeze(s)) with %d of %d answers committed%n", freezes,
                committedAtKill, REQUESTS);
        assertThat(committedAtKill).as("killed mid-way").isBetween(target, REQUESTS - 1);

        long restarted = System.nanoTime();
        Process second = startServe(1);
        Map<String, PredictResponse> answers = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (answers.size() < REQUESTS) {
            assertThat(second.isAlive()).as("the restarted server runs").isTrue();
            assertThat(System.nanoTime()).as("every request answered within 120 s of the restart").isLessThan(deadline);
            Thread.sleep(500);
            answers = byKey(answers());
        }
        System.out.printf("the restarted server answered the rest in %.1f s%n", (System.nanoTime() - restarted) / 1e9);
        CommandProcesses.signal(second, "TERM");
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        assertThat(second.exitValue()).as("closed by its shutdown hook, then ended by SIGTERM")
                .isEqualTo(128 + 15);
        assertThat(Files.readString(err(1))).doesNotContain("ERROR", "error:");
        assertThat(Files.readString(out(1))).contains("Serving run " + RUN + " (policy latest)",
                "Serving snapshot epoch 1, step 20 (sha256 " + snapshot.parametersSha256() + ") of run " + RUN);

        List<ConsumerRecord<String, PredictResponse>> all = answers();
        assertThat(all).as("exactly one answer per request, read_committed").hasSize(REQUESTS);
        assertThat(answers.keySet()).isEqualTo(requests.keySet());
        ServedModel served = new ServedModel(snapshot, ServePolicy.LATEST, null);
        Predictor predictor = new Predictor();
        answers.forEach((key, answer) -> {
            assertThat(answer.id()).isEqualTo(key);
            assertThat(answer.run()).isEqualTo(RUN);
            assertThat(answer.snapshot()).isEqualTo(served.ref());
            assertThat(answer.predictions()).as(key).isEqualTo(predictor.predict(served, requests.get(key).samples()));
        });
        int written = OpenTransactions.countReadUncommitted(KAFKA.bootstrapServers(), partitions);
        System.out.printf("predictions topic: %d answers committed, %d written in all%n", all.size(), written);
        assertThat(written).as("the killed server's open transaction was aborted, not lost or doubled")
                .isGreaterThan(REQUESTS);
    }

    private Process startServe(int index) throws IOException {
        return processes.start("serve-" + index,
                "serve", "--bootstrap-servers", KAFKA.bootstrapServers(), "--run", RUN, "--threads", "1",
                "--port", "0", "--metrics-port", "-1", "--state-dir", tmp.resolve("serve").toString(),
                "--application-id", "crash-serve",
                // the restarted instance (a new member) need not wait for the dead one's session to expire
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=1000");
    }

    private static List<ConsumerRecord<String, PredictResponse>> answers() {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), PREDICT.predictions(), new StringDeserializer(),
                new PredictResponseDeserializer());
    }

    private static Map<String, PredictResponse> byKey(List<ConsumerRecord<String, PredictResponse>> records) {
        return records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> {
            throw new AssertionError("two answers under one key: " + a + " and " + b);
        }));
    }

    private Path out(int index) {
        return processes.stdout("serve-" + index);
    }

    private Path err(int index) {
        return processes.stderr("serve-" + index);
    }
}
