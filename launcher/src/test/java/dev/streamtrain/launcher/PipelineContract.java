package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline (producer, trainer, evaluator) against a real Kafka cluster. Each subclass
 * names the cluster: the in-JVM KRaft broker, or Testcontainers' KafkaContainer where Docker runs.
 */
abstract class PipelineContract {

    @TempDir
    Path stateDir;

    abstract String bootstrapServers();

    abstract String topicPrefix();

    @Test
    void lossFallsAndEverySnapshotGetsExactlyOneMetricsRecord() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(topicPrefix());
        ImageDataset train = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 600, 21);
        ImageDataset test = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 150, 22);
        LocalRun run = new LocalRun("pipeline", 2, 40, 64, true, 42, TrainingRecipe.tutorial(0.05), 7, 1,
                topics);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        LocalResult result = new LocalPipeline(KafkaSettings.of(bootstrapServers()), stateDir,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run(run, train, test);

        // 15 batches per epoch: snapshots every 7 steps and at both epoch ends
        assertThat(result.training().steps()).isEqualTo(30);
        assertThat(result.training().samplesSeen()).isEqualTo(1200);
        List<WeightSnapshot> snapshots = TopicRecords.readAll(bootstrapServers(), topics.snapshots(),
                new StringDeserializer(), new WeightSnapshotDeserializer()).stream().map(ConsumerRecord::value)
                .toList();
        List<TestMetrics> metrics = TopicRecords.readAll(bootstrapServers(), topics.metrics(),
                new StringDeserializer(), new TestMetricsDeserializer()).stream().map(ConsumerRecord::value).toList();
        assertThat(snapshots).extracting(WeightSnapshot::step).containsExactly(7L, 14L, 15L, 21L, 28L, 30L);
        assertThat(metrics).extracting(TestMetrics::snapshotSha256)
                .containsExactlyElementsOf(snapshots.stream().map(WeightSnapshot::parametersSha256).toList());
        assertThat(result.metrics()).containsExactlyElementsOf(metrics);
        TestMetrics first = metrics.get(0);
        TestMetrics last = metrics.get(metrics.size() - 1);
        assertThat(last.avgLoss()).isLessThan(first.avgLoss());
        assertThat(last.accuracy()).isGreaterThan(0.5);
        assertThat(last.testSamples()).isEqualTo(150);
        assertThat(last.finalSnapshot()).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Test Error: run pipeline, epoch 2, step 30");
    }
}
