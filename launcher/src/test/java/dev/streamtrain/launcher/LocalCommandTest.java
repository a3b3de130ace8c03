package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.KnownDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code streamtrain local} end to end on small generated IDX files: a real embedded broker, the
 * producer, trainer and evaluator, the tutorial's output; then a second run on the same state dir.
 */
class LocalCommandTest {

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void generateData() throws Exception {
        data = SyntheticIdxDataset.write(tmp.resolve("data"), KnownDataset.FASHION_MNIST, 1000, 200, 11);
    }

    @Test
    void runsThePipelineTwiceOnOneStateDirEachRunOnItsOwnMinibatches() throws Exception {
        Path state = tmp.resolve("state");
        CommandRun first = local(state, "first");
        CommandRun second = local(state, "second");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(first.out())
                .contains("Epoch 1\n-------------------------------\nloss: ")
                .contains("[   50/ 1000]")
                .contains("Epoch 2\n")
                .contains("Test Error: run first, epoch 1, step 20\n Accuracy: ")
                .contains("Test Error: run first, epoch 2, step 40\n Accuracy: ")
                .containsPattern("Done! Time taken: \\d+\\.\\d seconds");
        double[] losses = testLosses(first.out());
        assertThat(losses).hasSize(2);
        assertThat(losses[1]).as("average test loss falls").isLessThan(losses[0]);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            List<WeightSnapshot> snapshots = TopicRecords.readAll(broker.bootstrapServers(),
                    TopicNames.DEFAULT_SNAPSHOTS, new StringDeserializer(), new WeightSnapshotDeserializer())
                    .stream().map(ConsumerRecord::value).toList();
            List<TestMetrics> metrics = TopicRecords.readAll(broker.bootstrapServers(), TopicNames.DEFAULT_METRICS,
                    new StringDeserializer(), new TestMetricsDeserializer()).stream().map(ConsumerRecord::value)
                    .toList();
            // snapshots are partitioned by run id: order holds within a run, not across runs
            Map<String, List<WeightSnapshot>> byRun = snapshots.stream()
                    .collect(Collectors.groupingBy(WeightSnapshot::runId));
            assertThat(byRun.get("first")).extracting(WeightSnapshot::step).containsExactly(20L, 40L);
            assertThat(byRun.get("second")).extracting(WeightSnapshot::step).containsExactly(20L, 40L);
            assertThat(metrics).as("one metrics record per snapshot")
                    .extracting(m -> m.runId() + "@" + m.step() + ":" + m.snapshotSha256())
                    .containsExactlyInAnyOrderElementsOf(snapshots.stream()
                            .map(s -> s.runId() + "@" + s.step() + ":" + s.parametersSha256()).toList());
            // the second run read offsets 40..79 only, and (same seed, same data) learned the same weights
            WeightSnapshot firstEnd = byRun.get("first").get(1);
            WeightSnapshot secondEnd = byRun.get("second").get(1);
            assertThat(firstEnd.offsets().get(0).nextOffset()).isEqualTo(40);
            assertThat(secondEnd.offsets().get(0).nextOffset()).isEqualTo(80);
            assertThat(secondEnd.samplesSeen()).isEqualTo(2000);
            assertThat(secondEnd.parametersSha256()).isEqualTo(firstEnd.parametersSha256());
        }
    }

    static CommandRun local(Path state, String runId) {
        return CommandRun.of("local", "--data", data.toString(), "--no-download", "--state-dir", state.toString(),
                "--run-id", runId, "--epochs", "2", "--batch-size", "50", "--test-batch-size", "100",
                "--lr", "0.05");
    }

    static double[] testLosses(String out) {
        Matcher m = Pattern.compile("Avg loss: ([0-9.]+)").matcher(out);
        return m.results().mapToDouble(r -> Double.parseDouble(r.group(1))).toArray();
    }
}
