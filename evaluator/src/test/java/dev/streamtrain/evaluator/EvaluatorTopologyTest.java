package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives the very topology the evaluator runs ({@link EvaluatorTopology#build}) with TopologyTestDriver. */
class EvaluatorTopologyTest {

    private static final TopicNames TOPICS = TopicNames.DEFAULT;

    @BeforeAll
    static void oneThread() {
        Engines.get(Engines.DEFAULT).setMathThreads(1);
    }

    @Test
    void everySnapshotYieldsOneMetricsRecordKeyedByRun() {
        EvaluationSet testSet = Fixtures.testSet(128, 64);
        AtomicInteger testSetLoads = new AtomicInteger();
        List<TestMetrics> heard = new ArrayList<>();
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(dataset -> {
            testSetLoads.incrementAndGet();
            assertThat(dataset).isEqualTo("fashion-mnist");
            return testSet;
        }), heard::add)) {
            TestInputTopic<String, WeightSnapshot> snapshots = driver.createInputTopic(TOPICS.snapshots(),
                    new StringSerializer(), EvaluatorTopology.SNAPSHOT_SERDE.serializer());
            TestOutputTopic<String, TestMetrics> metrics = driver.createOutputTopic(TOPICS.metrics(),
                    new StringDeserializer(), EvaluatorTopology.METRICS_SERDE.deserializer());

            WeightSnapshot first = Fixtures.snapshot("r1", Fixtures.trained(0), 1, 4, false);
            WeightSnapshot second = Fixtures.snapshot("r1", Fixtures.trained(8), 2, 8, true);
            snapshots.pipeInput("r1", first);
            snapshots.pipeInput("r1", second);

            List<TestRecord<String, TestMetrics>> out = metrics.readRecordsToList();
            assertThat(out).extracting(TestRecord::key).containsExactly("r1", "r1");
            TestMetrics m1 = out.get(0).value();
            TestMetrics m2 = out.get(1).value();
            assertThat(m1.snapshotSha256()).isEqualTo(first.parametersSha256());
            assertThat(m2.snapshotSha256()).isEqualTo(second.parametersSha256());
            assertThat(m1.epoch()).isEqualTo(1);
            assertThat(m2.step()).isEqualTo(8);
            assertThat(m2.samplesSeen()).isEqualTo(256);
            assertThat(m2.finalSnapshot()).isTrue();
            assertThat(m1.finalSnapshot()).isFalse();
            assertThat(m1.testSamples()).isEqualTo(128);
            assertThat(m1.model()).isEqualTo("tutorial-mlp");
            assertThat(m1.snapshotCreatedAtMillis()).isEqualTo(1_700_000_000_000L);
            assertThat(m1.trainLoss()).as("the snapshot's train loss, copied").isEqualTo(1.0);
            assertThat(m2.trainLoss()).isEqualTo(2.0);
            assertThat(m2.avgLoss()).isLessThan(m1.avgLoss());
            TestResult direct = TestLoop.run(Fixtures.trained(8), testSet);
            assertThat(m2.accuracy()).isEqualTo(direct.accuracy());
            assertThat(m2.avgLoss()).isEqualTo(direct.avgLoss());
            assertThat(heard).containsExactly(m1, m2);
            KeyValueStore<String, TestMetrics> best = driver.getKeyValueStore(EvaluatorTopology.BEST_SNAPSHOT_STORE);
            assertThat(best.get("r1")).isEqualTo(m2.accuracy() >= m1.accuracy() ? m2 : m1);
            assertThat(testSetLoads).as("the test set is read once per dataset").hasValue(1);
        }
    }

    @Test
    void anUndecodableSnapshotFailsTheApplicationInsteadOfBeingSkipped() {
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(d -> Fixtures.testSet(64, 64)), m -> { })) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(TOPICS.snapshots(), new StringSerializer(),
                    new ByteArraySerializer());
            assertThatThrownBy(() -> raw.pipeInput("r1", new byte[] {'S', 'T', 'W', 'S', 9}))
                    .isInstanceOf(StreamsException.class)
                    .rootCause().hasMessageContaining("unsupported version 9");
            assertThat(driver.createOutputTopic(TOPICS.metrics(), new StringDeserializer(),
                    EvaluatorTopology.METRICS_SERDE.deserializer()).isEmpty()).isTrue();
        }
    }

    @Test
    void aSnapshotKeyedByAnotherRunIsRejected() {
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(d -> Fixtures.testSet(64, 64)), m -> { })) {
            TestInputTopic<String, WeightSnapshot> snapshots = driver.createInputTopic(TOPICS.snapshots(),
                    new StringSerializer(), EvaluatorTopology.SNAPSHOT_SERDE.serializer());
            assertThatThrownBy(() -> snapshots.pipeInput("r2",
                    Fixtures.snapshot("r1", Fixtures.trained(0), 1, 1, false)))
                    .isInstanceOf(StreamsException.class)
                    .rootCause().hasMessage("snapshot record keyed 'r2' holds run 'r1'; snapshots must be keyed by "
                            + "their run id");
        }
    }

    @Test
    void theBestSnapshotHasTheHighestAccuracyThenTheLowestLoss() {
        TestMetrics a = metrics(0.70, 0.9, 10);
        TestMetrics b = metrics(0.72, 1.1, 20);
        TestMetrics c = metrics(0.72, 1.0, 30);
        assertThat(EvaluatorTopology.better(a, b)).isSameAs(b);
        assertThat(EvaluatorTopology.better(b, c)).isSameAs(c);
        assertThat(EvaluatorTopology.better(c, metrics(0.72, 1.0, 5))).isSameAs(c);
        assertThat(EvaluatorTopology.bestSnapshotChangelog("streamtrain-evaluator"))
                .isEqualTo("streamtrain-evaluator-best-snapshot-per-run-changelog");
    }

    private static TestMetrics metrics(double accuracy, double loss, long step) {
        return new TestMetrics("r", "fashion-mnist", "tutorial-mlp", 1, step, step * 64, false, false, accuracy, loss,
                100, "0".repeat(64), 0, 0, 1.25);
    }

    private static TopologyTestDriver driver(SnapshotEvaluator evaluator, EvaluationListener listener) {
        StreamsBuilder builder = new StreamsBuilder();
        EvaluatorTopology.build(builder, TOPICS, evaluator, listener);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "evaluator-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), config);
    }
}
