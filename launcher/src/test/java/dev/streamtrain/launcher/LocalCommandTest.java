package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.report.LearningCurvesChart;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 1000, 200, 11);
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
            // each epoch's train loss travels from the snapshot into its metrics record
            for (TestMetrics m : metrics) {
                WeightSnapshot s = byRun.get(m.runId()).get(m.epoch() - 1);
                assertThat(s.trainLoss().batches()).isEqualTo(20);
                assertThat(m.trainLoss()).isEqualTo(s.trainLoss().mean()).isBetween(0.0, 2.5);
            }
        }
        assertThat(first.out()).contains("Learning curves: " + state.resolve("reports/first.png").toAbsolutePath());
        assertThat(ImageIO.read(state.resolve("reports/first.png").toFile()).getWidth())
                .as("loss, accuracy and test-then-train accuracy").isEqualTo(3 * LearningCurvesChart.PANEL_WIDTH);
    }

    @Test
    void reportDrawsAndPrintsTheCurvesOfSeveralRunsFromKafkaAlone() throws Exception {
        Path state = tmp.resolve("report-state");
        CommandRun fastRun = local(state, "lr05");
        assertThat(fastRun.exitCode()).as(fastRun.err()).isZero();
        CommandRun slower = CommandRun.of("local", "--data", data.toString(), "--no-download", "--state-dir",
                state.toString(), "--run-id", "lr01", "--epochs", "2", "--batch-size", "50", "--lr", "0.01",
                "--report", tmp.resolve("elsewhere/lr01.png").toString());
        assertThat(slower.exitCode()).as(slower.err()).isZero();
        assertThat(tmp.resolve("elsewhere/lr01.png")).isRegularFile();
        double[] fast = testLosses(fastRun.out());

        Path png = tmp.resolve("curves.png");
        CommandRun report = CommandRun.of("report", "--state-dir", state.toString(), "--run", "lr05", "--run",
                "lr01", "--out", png.toString());

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("Run lr05 (fashion-mnist, tutorial-mlp)",
                "Run lr01 (fashion-mnist, tutorial-mlp)", " EPOCH    SAMPLES  TRAIN LOSS   TEST LOSS  ACCURACY",
                "Wrote " + png.toAbsolutePath());
        Matcher rows = Pattern.compile("(?m)^ +(\\d) +(\\d+) +([0-9.]+) +([0-9.]+) +([0-9.]+)%( .*)?$")
                .matcher(report.out());
        List<String[]> table = rows.results().map(r -> new String[] {r.group(1), r.group(2), r.group(3), r.group(4)})
                .toList();
        assertThat(table).hasSize(4);
        assertThat(table.get(0)).startsWith("1", "1000");
        assertThat(table.get(1)).startsWith("2", "2000");
        assertThat(Double.parseDouble(table.get(1)[2])).as("train loss falls")
                .isLessThan(Double.parseDouble(table.get(0)[2]));
        assertThat(Double.parseDouble(table.get(1)[3])).as("the test loss 'local' printed")
                .isCloseTo(fast[1], within(1e-6));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).as("loss, accuracy and test-then-train accuracy")
                .isEqualTo(3 * LearningCurvesChart.PANEL_WIDTH);

        CommandRun unknown = CommandRun.of("report", "--state-dir", state.toString(), "--run", "nope");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("run 'nope' is not known; known runs: [").contains("lr05").contains("lr01");
    }

    @Test
    void theDefaultEngineIsBlasForTheTutorialAndTrainsAndIsEvaluatedAsTheDl4jEngineIs() throws Exception {
        Path state = tmp.resolve("engines-state");
        CommandRun dl4j = CommandRun.of("local", "--data", data.toString(), "--no-download", "--state-dir",
                state.toString(), "--run-id", "on-dl4j", "--epochs", "2", "--batch-size", "50", "--test-batch-size",
                "100", "--lr", "0.05", "--engine", "dl4j");
        CommandRun blas = local(state, "on-blas");

        assertThat(dl4j.exitCode()).as(dl4j.err()).isZero();
        assertThat(dl4j.out()).contains("\n  engine dl4j\n");
        assertThat(blas.exitCode()).as(blas.err()).isZero();
        assertThat(blas.out()).contains("\n  engine blas (auto)\n", "Test Error: run on-blas, epoch 2, step 40\n Accuracy: ");
        double[] blasLosses = testLosses(blas.out());
        double[] dl4jLosses = testLosses(dl4j.out());
        assertThat(blasLosses).hasSize(2);
        for (int epoch = 0; epoch < 2; epoch++) {
            assertThat(blasLosses[epoch]).as("epoch %d test loss", epoch + 1)
                    .isCloseTo(dl4jLosses[epoch], within(1e-4 * dl4jLosses[epoch]));
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            List<WeightSnapshot> snapshots = TopicRecords.readAll(broker.bootstrapServers(),
                    TopicNames.DEFAULT_SNAPSHOTS, new StringDeserializer(), new WeightSnapshotDeserializer())
                    .stream().map(ConsumerRecord::value).toList();
            assertThat(snapshots).extracting(s -> s.runId() + ":" + s.spec().engine())
                    .containsOnly("on-dl4j:dl4j", "on-blas:blas").hasSize(4);
        }
    }

    @Test
    void aDivergedRunExitsWithFourAndOneErrorLine() {
        CommandRun diverged = CommandRun.of("local", "--data", data.toString(), "--no-download", "--state-dir",
                tmp.resolve("diverged").toString(), "--run-id", "boom", "--epochs", "1", "--batch-size", "50",
                "--test-batch-size", "100", "--lr", "1e39");

        assertThat(diverged.exitCode()).as(diverged.err()).isEqualTo(ExitCodes.DIVERGED);
        assertThat(diverged.err().lines().filter(l -> l.startsWith("error: "))).singleElement().asString()
                .startsWith("error: run boom diverged: ");
        assertThat(diverged.err()).doesNotContain("\tat ", "Exception");
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
