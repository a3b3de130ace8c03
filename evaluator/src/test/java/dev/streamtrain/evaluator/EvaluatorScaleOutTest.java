package dev.streamtrain.evaluator;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two evaluator instances with one application id split the runs and evaluate each snapshot once. */
class EvaluatorScaleOutTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    Path state;

    @Test
    void instancesShareTheWorkAndEverySnapshotGetsExactlyOneMetricsRecord() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
            producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 200, 1), 100);
        }
        List<TestMetrics> heardByA = new CopyOnWriteArrayList<>();
        List<TestMetrics> heardByB = new CopyOnWriteArrayList<>();
        String app = "evaluator-" + topics.snapshots();
        try (EvaluatorService a = new EvaluatorService(kafka, settings(app, state.resolve("a"), topics), heardByA::add);
             EvaluatorService b = new EvaluatorService(kafka, settings(app, state.resolve("b"), topics),
                     heardByB::add)) {
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.state() == KafkaStreams.State.RUNNING
                    && b.state() == KafkaStreams.State.RUNNING);
            int runs = 8;
            try (KafkaProducer<String, WeightSnapshot> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024), new StringSerializer(),
                    new WeightSnapshotSerializer())) {
                for (int r = 0; r < runs; r++) {
                    for (int step = 1; step <= 2; step++) {
                        WeightSnapshot s = Fixtures.snapshot("run" + r, Fixtures.trained(step), step, step,
                                step == 2);
                        producer.send(new ProducerRecord<>(topics.snapshots(), s.runId(), s)).get();
                    }
                }
            }
            // the listeners hear results before Streams commits them: wait for the committed records
            await().atMost(Duration.ofSeconds(90)).until(() -> committedMetrics(topics).size() >= 2 * runs);
            Thread.sleep(500); // a duplicate, if any, would be committed by now
            List<TestMetrics> metrics = committedMetrics(topics);
            assertThat(metrics).hasSize(2 * runs);
            assertThat(metrics).extracting(m -> m.runId() + "@" + m.step()).doesNotHaveDuplicates();
            assertThat(heardByA).as("instance a evaluated some runs").isNotEmpty();
            assertThat(heardByB).as("instance b evaluated some runs").isNotEmpty();
            assertThat(heardByA).extracting(TestMetrics::runId)
                    .doesNotContainAnyElementsOf(heardByB.stream().map(TestMetrics::runId).toList());
        }
    }

    private static List<TestMetrics> committedMetrics(TopicNames topics) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), topics.metrics(), new StringDeserializer(),
                new TestMetricsDeserializer()).stream().map(ConsumerRecord::value).toList();
    }

    private static EvaluatorSettings settings(String app, Path dir, TopicNames topics) {
        return new EvaluatorSettings(app, dir, topics, Duration.ofSeconds(30), 1);
    }
}
