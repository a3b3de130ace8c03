package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives the very topology the evaluator runs ({@link EvaluatorTopology#build}) with TopologyTestDriver. */
class EvaluatorTopologyTest {

    private static final TopicNames TOPICS = TopicNames.DEFAULT;

    @TempDir
    static Path STATE;

    @BeforeAll
    static void oneThread() {
        Metrics.addRegistry(new SimpleMeterRegistry()); // the rejections counter counts in the global registry
        Engines.get(Engines.DEFAULT).setMathThreads(1);
    }

    @Test
    void everySnapshotYieldsOneMetricsRecordKeyedByRun() {
        EvaluationSet testSet = Fixtures.testSet(128, 64);
        MemoryEvaluationSets sets = MemoryEvaluationSets.of(testSet);
        List<TestMetrics> heard = new ArrayList<>();
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(sets), heard::add)) {
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
            assertThat(sets.asked).as("the test set is read once per dataset, no validation split asked for")
                    .containsExactly("test fashion-mnist");
        }
    }

    @Test
    void anUndecodableSnapshotIsSkippedAndCountedAndTheNextIsEvaluated() {
        double before = rejected(TOPICS.snapshots(), "undecodable");
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(MemoryEvaluationSets.of(Fixtures.testSet(64,
                64))), m -> { })) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(TOPICS.snapshots(), new StringSerializer(),
                    new ByteArraySerializer());
            TestInputTopic<String, WeightSnapshot> snapshots = driver.createInputTopic(TOPICS.snapshots(),
                    new StringSerializer(), EvaluatorTopology.SNAPSHOT_SERDE.serializer());
            byte[] poison = {'S', 'T', 'W', 'S', 9};
            raw.pipeInput("r1", poison);
            WeightSnapshot good = Fixtures.snapshot("r1", Fixtures.trained(0), 1, 1, false);
            snapshots.pipeInput("r1", good);

            assertThat(metrics(driver).readValuesToList()).extracting(TestMetrics::snapshotSha256)
                    .containsExactly(good.parametersSha256());
            // TopologyTestDriver drops the copies of undecodable records; PoisonRecordsTest reads them from Kafka
        }
        assertThat(rejected(TOPICS.snapshots(), "undecodable")).isEqualTo(before + 1);
    }

    @Test
    void aSnapshotKeyedByAnotherRunIsDeadLetteredAndThatRunGoesOn() {
        double before = rejected(TOPICS.snapshots(), "key-mismatch");
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(MemoryEvaluationSets.of(Fixtures.testSet(64,
                64))), m -> { })) {
            TestInputTopic<String, WeightSnapshot> snapshots = driver.createInputTopic(TOPICS.snapshots(),
                    new StringSerializer(), EvaluatorTopology.SNAPSHOT_SERDE.serializer());
            snapshots.pipeInput("r2", Fixtures.snapshot("r1", Fixtures.trained(0), 1, 1, false));
            WeightSnapshot ofR2 = Fixtures.snapshot("r2", Fixtures.trained(8), 1, 2, true);
            snapshots.pipeInput("r2", ofR2);

            assertThat(metrics(driver).readRecordsToList()).extracting(TestRecord::key, r -> r.value().snapshotSha256())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("r2", ofR2.parametersSha256()));
            List<TestRecord<String, byte[]>> letters = deadLetters(driver);
            assertThat(letters).hasSize(1);
            assertThat(header(letters.get(0), DeadLetters.HEADER_REASON)).isEqualTo("key-mismatch");
            assertThat(header(letters.get(0), DeadLetters.HEADER_MESSAGE))
                    .isEqualTo("snapshot record keyed 'r2' holds run 'r1'; snapshots must be keyed by their run id");
            assertThat(header(letters.get(0), DeadLetters.HEADER_KEY)).isEqualTo("r2");
        }
        assertThat(rejected(TOPICS.snapshots(), "key-mismatch")).isEqualTo(before + 1);
    }

    @Test
    void aFailureThatIsNoBadRecordStillStopsTheEvaluator() {
        // a well-formed snapshot whose test set is missing: the evaluator must stop, not skip it
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(new MemoryEvaluationSets()), m -> { })) {
            TestInputTopic<String, WeightSnapshot> snapshots = driver.createInputTopic(TOPICS.snapshots(),
                    new StringSerializer(), EvaluatorTopology.SNAPSHOT_SERDE.serializer());
            assertThatThrownBy(() -> snapshots.pipeInput("r1", Fixtures.snapshot("r1", Fixtures.trained(0), 1, 1,
                    false))).isInstanceOf(StreamsException.class).rootCause()
                    .hasMessage("no test set of fashion-mnist in memory");
            assertThat(deadLetters(driver)).isEmpty();
        }
    }

    private static TestOutputTopic<String, TestMetrics> metrics(TopologyTestDriver driver) {
        return driver.createOutputTopic(TOPICS.metrics(), new StringDeserializer(),
                EvaluatorTopology.METRICS_SERDE.deserializer());
    }

    private static List<TestRecord<String, byte[]>> deadLetters(TopologyTestDriver driver) {
        return driver.createOutputTopic(DeadLetters.TOPIC, new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static double rejected(String topic, String reason) {
        Counter counter = Metrics.globalRegistry.find(DeadLetters.COUNTER).tag("topic", topic).tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
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

    @Test
    void withValidationSplitsTheLowestValidationLossWinsEvenOverAHigherTestAccuracy() {
        TestMetrics accurate = validated(0.90, 0.30, 0.50, 10);
        TestMetrics lowValidationLoss = validated(0.60, 0.90, 0.40, 20);
        assertThat(EvaluatorTopology.better(accurate, lowValidationLoss)).isSameAs(lowValidationLoss);
        assertThat(EvaluatorTopology.better(lowValidationLoss, accurate)).isSameAs(lowValidationLoss);
        TestMetrics earlier = validated(0.60, 0.90, 0.40, 5);
        assertThat(EvaluatorTopology.better(earlier, lowValidationLoss)).as("a tie goes to the later step")
                .isSameAs(lowValidationLoss);
        assertThat(EvaluatorTopology.better(lowValidationLoss, earlier)).isSameAs(lowValidationLoss);
        // one of the two without a validation split: the test accuracy decides
        TestMetrics unvalidated = metrics(0.70, 0.50, 30);
        assertThat(EvaluatorTopology.better(lowValidationLoss, unvalidated)).isSameAs(unvalidated);
        assertThat(EvaluatorTopology.better(unvalidated, accurate)).isSameAs(accurate);
    }

    @Test
    void aNaNLossNeverWins() {
        TestMetrics nanValidation = validated(0.99, 0.01, Double.NaN, 50);
        TestMetrics finite = validated(0.10, 2.30, 2.30, 10);
        assertThat(EvaluatorTopology.better(nanValidation, finite)).isSameAs(finite);
        assertThat(EvaluatorTopology.better(finite, nanValidation)).isSameAs(finite);
        TestMetrics infinite = validated(0.10, 2.30, Double.POSITIVE_INFINITY, 5);
        assertThat(EvaluatorTopology.better(nanValidation, infinite)).as("NaN is worse than even infinity")
                .isSameAs(infinite);
        TestMetrics otherNan = validated(0.50, 0.50, Double.NaN, 60);
        assertThat(EvaluatorTopology.better(nanValidation, otherNan)).isSameAs(otherNan);
        assertThat(EvaluatorTopology.better(otherNan, nanValidation)).isSameAs(otherNan);

        // without validation: at equal accuracy, a NaN test loss loses
        TestMetrics nanTest = metrics(0.72, Double.NaN, 40);
        TestMetrics finiteTest = metrics(0.72, 3.0, 20);
        assertThat(EvaluatorTopology.better(nanTest, finiteTest)).isSameAs(finiteTest);
        assertThat(EvaluatorTopology.better(finiteTest, nanTest)).isSameAs(finiteTest);
        // and a NaN accuracy cannot even be recorded
        assertThatIllegalArgumentException().isThrownBy(() -> metrics(Double.NaN, 1.0, 1));
    }

    @Test
    void theBestSnapshotOfARunWithAValidationSplitHasTheLowestValidationLoss() {
        MemoryEvaluationSets sets = MemoryEvaluationSets.of(Fixtures.testSet(128, 64))
                .validation("s1", Fixtures.validationSet("s1", Fixtures.loader(100), 50));
        List<TestMetrics> heard = new ArrayList<>();
        try (TopologyTestDriver driver = driver(new SnapshotEvaluator(sets), heard::add)) {
            TestInputTopic<String, WeightSnapshot> snapshots = driver.createInputTopic(TOPICS.snapshots(),
                    new StringSerializer(), EvaluatorTopology.SNAPSHOT_SERDE.serializer());
            TestOutputTopic<String, TestMetrics> metrics = driver.createOutputTopic(TOPICS.metrics(),
                    new StringDeserializer(), EvaluatorTopology.METRICS_SERDE.deserializer());
            for (int step : new int[] {0, 8, 2}) {
                snapshots.pipeInput("s1", Fixtures.snapshot("s1", Fixtures.trained(step), 1, step + 1, false,
                        Fixtures.loader(100), List.of()));
            }
            List<TestMetrics> out = metrics.readValuesToList();
            assertThat(out).hasSize(3).isEqualTo(heard);
            assertThat(out).allSatisfy(m -> {
                assertThat(m.validation().key()).isEqualTo("s1/validation/");
                assertThat(m.validation().samples()).isEqualTo(100);
                assertThat(m.validation().confusion()).hasDimensions(10, 10);
            });
            TestMetrics lowest = out.stream()
                    .min(java.util.Comparator.comparingDouble(m -> m.validation().avgLoss())).orElseThrow();
            assertThat(driver.<String, TestMetrics>getKeyValueStore(EvaluatorTopology.BEST_SNAPSHOT_STORE).get("s1"))
                    .isEqualTo(lowest);
            assertThat(lowest.step()).as("the most trained snapshot").isEqualTo(9);
        }
    }

    private static TestMetrics metrics(double accuracy, double loss, long step) {
        return new TestMetrics("r", "fashion-mnist", "tutorial-mlp", 1, step, step * 64, false, false, accuracy, loss,
                100, "0".repeat(64), 0, 0, 1.25);
    }

    /** Metrics of a run with a validation split: test accuracy and loss, validation loss. */
    private static TestMetrics validated(double accuracy, double loss, double validationLoss, long step) {
        EvaluationResult test = new EvaluationResult("test", TOPICS.testSet(), "fashion-mnist/", 100, 1, 100,
                accuracy, loss, new long[0][0]);
        EvaluationResult validation = new EvaluationResult("validation", TOPICS.testSet(), "s/validation/", 50, 2,
                100, 0.5, validationLoss, new long[0][0]);
        return new TestMetrics("r", "fashion-mnist", "tutorial-mlp", 1, step, step * 64, false, false, accuracy, loss,
                100, "0".repeat(64), 0, 0, 1.25, 0.5, test, validation);
    }

    private static TopologyTestDriver driver(SnapshotEvaluator evaluator, EvaluationListener listener) {
        StreamsBuilder builder = new StreamsBuilder();
        EvaluatorTopology.build(builder, TOPICS, evaluator, listener);
        // the evaluator's own configuration, its error handlers among it
        Properties config = new Properties();
        config.putAll(EvaluatorService.streamsConfig(KafkaSettings.of("unused:9092"), new EvaluatorSettings(
                "evaluator-test", STATE.resolve("streams"), TOPICS, Duration.ofSeconds(1), 1)));
        return new TopologyTestDriver(builder.build(), config);
    }
}
