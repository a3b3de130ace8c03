package dev.streamtrain.server;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsSerializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The follower against a real broker: it serves what a run's history chose, then swaps within 2 s of
 * the commit that makes it ({@code latest}: a snapshot; {@code best}: metrics showing one better).
 */
class SnapshotFollowerTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();
    private static final Duration SWAP = Duration.ofSeconds(2);

    private final KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
    private final TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
    private final ModelSlot slot = new ModelSlot();
    private KafkaProducer<String, byte[]> producer;
    private SnapshotFollower follower;

    @AfterEach
    void close() {
        if (follower != null) {
            follower.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    private void start(String run, ServePolicy policy) {
        follower = new SnapshotFollower(kafka, topics, run, policy, slot);
        follower.start();
    }

    /** Writes {@code records} in one transaction, as the trainer and the evaluator write theirs; returns once committed. */
    private void commit(ProducerRecord<?, ?>... records) {
        if (producer == null) {
            TopicProvisioner.ensureTopics(kafka.admin(), topics);
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "follower-test-" + topics.snapshots(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicConfigs.MAX_SNAPSHOT_BYTES),
                    new org.apache.kafka.common.serialization.StringSerializer(), new ByteArraySerializer());
            producer.initTransactions();
        }
        producer.beginTransaction();
        for (ProducerRecord<?, ?> r : records) {
            producer.send(new ProducerRecord<>(r.topic(), (String) r.key(), (byte[]) r.value()));
        }
        producer.commitTransaction();
    }

    private ProducerRecord<String, byte[]> snapshot(String key, WeightSnapshot snapshot) {
        return new ProducerRecord<>(topics.snapshots(), key, new WeightSnapshotSerializer().serialize(null, snapshot));
    }

    private ProducerRecord<String, byte[]> metrics(TestMetrics metrics) {
        return new ProducerRecord<>(topics.metrics(), metrics.runId(), new TestMetricsSerializer().serialize(null,
                metrics));
    }

    private long served() {
        return slot.current().map(ServedModel::step).orElse(-1L);
    }

    @Test
    void latestServesTheNewestSnapshotAndSwapsWithin2sOfEachCommit() {
        WeightSnapshot s1 = ServerFixtures.snapshot("run-a", 1);
        WeightSnapshot s2 = ServerFixtures.snapshot("run-a", 2);
        WeightSnapshot s3 = ServerFixtures.snapshot("run-a", 3);
        commit(snapshot("run-a", s1), snapshot("run-a", s2));
        commit(snapshot("run-b", ServerFixtures.snapshot("run-b", 5))); // another run, maybe on the same partition
        start("run-a", ServePolicy.LATEST);
        await().atMost(Duration.ofSeconds(30)).until(() -> served() == 2);

        commit(snapshot("run-a", s3));
        long committed = System.nanoTime();
        await().atMost(SWAP).until(() -> served() == 3);
        System.out.printf("latest: swapped %.0f ms after the commit%n", (System.nanoTime() - committed) / 1e6);
        ServedModel model = slot.current().orElseThrow();
        assertThat(model.sha256()).isEqualTo(s3.parametersSha256());
        assertThat(model.policy()).isEqualTo(ServePolicy.LATEST);
        assertThat(model.evaluation()).isNull();

        // a record of the run that is no snapshot is skipped and dead-lettered; the next one is served
        commit(new ProducerRecord<>(topics.snapshots(), "run-a", "not a snapshot".getBytes(StandardCharsets.UTF_8)));
        commit(snapshot("run-a", ServerFixtures.snapshot("run-b", 9))); // another run's snapshot under its key
        commit(snapshot("run-a", ServerFixtures.snapshot("run-a", 4)));
        await().atMost(SWAP).until(() -> served() == 4);
        assertThat(follower.failure()).isNotDone();
        assertThat(TopicRecords.readAll(KAFKA.bootstrapServers(), DeadLetters.TOPIC, new StringDeserializer(),
                new ByteArrayDeserializer()).stream().filter(r -> r.key().startsWith(topics.snapshots()))
                .map(r -> new String(r.headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8)))
                .containsExactly("undecodable", "key-mismatch");
    }

    @Test
    void bestServesOnlyWhatItsMetricsShowBetterAndSwapsWithin2sOfThoseMetrics() throws Exception {
        WeightSnapshot s1 = ServerFixtures.snapshot("best-run", 1);
        WeightSnapshot s2 = ServerFixtures.snapshot("best-run", 2);
        WeightSnapshot s3 = ServerFixtures.snapshot("best-run", 3);
        WeightSnapshot s4 = ServerFixtures.snapshot("best-run", 4);
        commit(snapshot("best-run", s1), snapshot("best-run", s2));
        commit(metrics(ServerFixtures.metrics(s2, 1.5, null)), metrics(ServerFixtures.metrics(s1, 2.0, null)));
        start("best-run", ServePolicy.BEST);
        await().atMost(Duration.ofSeconds(30)).until(() -> served() == 2);
        assertThat(slot.current().orElseThrow().evaluation().avgLoss()).isEqualTo(1.5);

        commit(snapshot("best-run", s3)); // not measured: not served
        commit(metrics(ServerFixtures.metrics(s3, 1.7, null))); // measured worse: not served
        commit(snapshot("best-run", s4));
        Thread.sleep(SWAP.toMillis());
        assertThat(served()).isEqualTo(2);

        commit(metrics(ServerFixtures.metrics(s4, 1.2, null)));
        long committed = System.nanoTime();
        await().atMost(SWAP).until(() -> served() == 4);
        System.out.printf("best: swapped %.0f ms after the metrics' commit%n", (System.nanoTime() - committed) / 1e6);
        assertThat(slot.current().map(ServedModel::policy)).isEqualTo(Optional.of(ServePolicy.BEST));
    }

    @Test
    void aRunWithNoSnapshotYetIsServedFromItsFirst() {
        start("late-run", ServePolicy.LATEST);
        TopicProvisioner.ensureTopics(kafka.admin(), topics);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> served() == -1);
        commit(snapshot("late-run", ServerFixtures.snapshot("late-run", 7)));
        long committed = System.nanoTime();
        await().atMost(SWAP).until(() -> served() == 7);
        System.out.printf("first snapshot served %.0f ms after its commit%n", (System.nanoTime() - committed) / 1e6);
    }
}
