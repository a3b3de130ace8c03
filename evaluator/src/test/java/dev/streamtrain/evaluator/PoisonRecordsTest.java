package dev.streamtrain.evaluator;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducerListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records another client wrote onto the snapshot topic (random bytes, a valid snapshot under
 * another run's key) neither stop the evaluator nor touch the runs they do not belong to, across
 * a restart too: each is copied once to the dead-letter topic, with where it came from and why.
 */
class PoisonRecordsTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    Path state;

    @Test
    void theEvaluatorSkipsAndDeadLettersPoisonAndEvaluatesEveryRunAroundIt() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics);
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
            producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 1), 100);
        }
        byte[] garbage = "{\"not\": \"a snapshot\"}".getBytes(StandardCharsets.UTF_8);
        WeightSnapshot runA = Fixtures.snapshot("run-a", Fixtures.trained(1), 1, 1, true);
        WeightSnapshot runB = Fixtures.snapshot("run-b", Fixtures.trained(2), 1, 1, true);
        byte[] serializedA = new WeightSnapshotSerializer().serialize(topics.snapshots(), runA);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // all on partition 0, in this order: garbage, run a's snapshot keyed by run b, run b, run a
            producer.send(record(topics, "run-b", garbage)).get();
            producer.send(record(topics, "run-b", serializedA)).get();
            producer.send(record(topics, "run-b", new WeightSnapshotSerializer().serialize(topics.snapshots(),
                    runB))).get();
            producer.send(record(topics, "run-a", serializedA)).get();
        }
        String app = "evaluator-" + topics.snapshots();
        try (EvaluatorService evaluator = new EvaluatorService(kafka, settings(app, topics), m -> { })) {
            evaluator.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> committedMetrics(topics).size() >= 2);
            assertThat(evaluator.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(evaluator.failure()).isNotDone();
        }
        assertThat(committedMetrics(topics)).extracting(TestMetrics::runId, TestMetrics::snapshotSha256)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("run-b", runB.parametersSha256()),
                        org.assertj.core.groups.Tuple.tuple("run-a", runA.parametersSha256()));

        List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(topics);
        assertThat(letters).extracting(r -> header(r, DeadLetters.HEADER_OFFSET) + " "
                        + header(r, DeadLetters.HEADER_REASON))
                .containsExactly("0 undecodable", "1 key-mismatch");
        assertThat(letters.get(0).value()).isEqualTo(garbage);
        assertThat(letters.get(1).value()).isEqualTo(serializedA);
        assertThat(new String(letters.get(1).key(), StandardCharsets.UTF_8)).isEqualTo(topics.snapshots() + "-0@1");
        assertThat(header(letters.get(1), DeadLetters.HEADER_KEY)).isEqualTo("run-b");

        // a restart starts after them: nothing evaluated twice, nothing dead-lettered twice, still running
        try (EvaluatorService again = new EvaluatorService(kafka, settings(app, topics), m -> { })) {
            again.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> again.state() == KafkaStreams.State.RUNNING);
            Thread.sleep(2000);
            assertThat(again.failure()).isNotDone();
        }
        assertThat(committedMetrics(topics)).hasSize(2);
        assertThat(deadLetters(topics)).hasSize(2);
    }

    private static ProducerRecord<byte[], byte[]> record(TopicNames topics, String key, byte[] value) {
        return new ProducerRecord<>(topics.snapshots(), 0, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static List<TestMetrics> committedMetrics(TopicNames topics) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), topics.metrics(), new StringDeserializer(),
                new TestMetricsDeserializer()).stream().map(ConsumerRecord::value).toList();
    }

    /** This test's copies: the dead-letter topic is one for the cluster. */
    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(TopicNames topics) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), DeadLetters.TOPIC, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()).stream()
                .filter(r -> topics.snapshots().equals(header(r, DeadLetters.HEADER_TOPIC))).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private EvaluatorSettings settings(String app, TopicNames topics) {
        return new EvaluatorSettings(app, state, topics, Duration.ofSeconds(30), 1);
    }
}
