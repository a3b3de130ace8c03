package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The validation loop on real Fashion-MNIST (Debian's dataset-fashion-mnist, which .ci/run
 * installs): the tutorial's MLP, 2 epochs, 10% held out. Validation and test accuracy agree within
 * 3 points, and no sample of the validation split is ever in a training batch: checked on the
 * records themselves, by the dataset indexes every minibatch carries.
 */
class ValidationSplitOnFashionMnistTest {

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Path TUTORIAL = Path.of("..", "examples", "tutorial.yaml").toAbsolutePath().normalize();

    @TempDir
    static Path state;

    static CommandRun local;

    @BeforeAll
    static void trainTwoEpochsWithAValidationSplit() {
        assumeTrue(Files.isDirectory(FASHION_MNIST), "needs Debian's dataset-fashion-mnist (.ci/run installs it)");
        local = CommandRun.of("local", "--config", TUTORIAL.toString(), "--data", FASHION_MNIST.toString(),
                "--no-download", "--val-fraction", "0.1", "--epochs", "2", "--state-dir", state.toString(),
                "--run-id", "val", "--metrics-port", "-1");
    }

    @Test
    void validationAndTestAccuracyAgreeWithinThreePoints() {
        assertThat(local.exitCode()).as(local.err()).isZero();
        assertThat(local.out()).contains("54000 train + 6000 validation", "Validation Error: run val, epoch 2",
                "Test Error: run val, epoch 2");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            List<TestMetrics> metrics = TopicRecords.readAll(broker.bootstrapServers(), TopicNames.DEFAULT_METRICS,
                    new StringDeserializer(), new TestMetricsDeserializer()).stream().map(ConsumerRecord::value)
                    .toList();
            TestMetrics last = metrics.get(metrics.size() - 1);
            assertThat(last.finalSnapshot()).isTrue();
            assertThat(last.validation().samples()).isEqualTo(6000);
            assertThat(last.test().samples()).isEqualTo(10000);
            assertThat(last.validation().accuracy()).as("validation vs test accuracy")
                    .isCloseTo(last.accuracy(), org.assertj.core.data.Offset.offset(0.03));
        }
    }

    @Test
    void theValidationSplitIsNeverTrainedOn() {
        assertThat(local.exitCode()).as(local.err()).isZero();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            BitSet validation = new BitSet();
            for (ConsumerRecord<String, Minibatch> r : TopicRecords.readAll(broker.bootstrapServers(),
                    TopicNames.DEFAULT_TEST_SET, new StringDeserializer(), new MinibatchDeserializer())) {
                if (r.key().startsWith("val/validation/")) {
                    assertThat(r.value().split()).isEqualTo(Split.VALIDATION);
                    for (int index : r.value().sampleIndexes()) {
                        assertThat(validation.get(index)).as("validation sample %d twice", index).isFalse();
                        validation.set(index);
                    }
                }
            }
            assertThat(validation.cardinality()).isEqualTo(6000);
            BitSet[] trained = {new BitSet(), new BitSet()};
            for (ConsumerRecord<String, Minibatch> r : TopicRecords.readAll(broker.bootstrapServers(),
                    TopicNames.DEFAULT_MINIBATCHES, new StringDeserializer(), new MinibatchDeserializer())) {
                Minibatch batch = r.value();
                assertThat(batch.sampling().validationSize()).isEqualTo(6000);
                for (int index : batch.sampleIndexes()) {
                    assertThat(validation.get(index)).as("validation sample %d in a training batch", index).isFalse();
                    trained[batch.epoch() - 1].set(index);
                }
            }
            for (BitSet epoch : trained) {
                assertThat(epoch.cardinality()).as("each epoch trains every other sample once").isEqualTo(54000);
                BitSet all = (BitSet) epoch.clone();
                all.or(validation);
                assertThat(all.cardinality()).isEqualTo(60000);
            }
        }
    }
}
