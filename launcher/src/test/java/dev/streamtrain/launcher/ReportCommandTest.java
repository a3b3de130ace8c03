package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsSerializer;
import dev.streamtrain.report.LearningCurvesChart;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    static final long[][] WORSE = {{5, 5, 0}, {2, 8, 0}, {0, 3, 7}};
    static final long[][] BETTER = {{9, 1, 0}, {0, 10, 0}, {0, 1, 9}};

    static EvaluationResult result(String split, double accuracy, double loss, long[][] confusion) {
        int samples = (int) Arrays.stream(confusion).flatMapToLong(Arrays::stream).sum();
        return new EvaluationResult(split, "t", "k/", 10, 3, samples, accuracy, loss, confusion);
    }

    static TestMetrics validated(int epoch, long step, boolean epochEnd, boolean isFinal, char sha,
                                 double trainAccuracy, EvaluationResult test, double validationLoss) {
        return new TestMetrics("v", "fashion-mnist", "tutorial-mlp", epoch, step, step * 10, epochEnd, isFinal,
                test.accuracy(), test.avgLoss(), 30, String.valueOf(sha).repeat(64), 0, 0, 1.0 / epoch, trainAccuracy,
                test, result("validation", 0.5, validationLoss, new long[][] {{1, 1, 0}, {0, 2, 0}, {0, 0, 2}}));
    }

    @Test
    void printsValidationAndTrainAccuracyColumnsAndThePerClassResultsOfTheBestSnapshotByValidationLoss(
            @TempDir Path dir) throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics);
        try (KafkaProducer<String, TestMetrics> producer = new KafkaProducer<>(kafka.layered(Map.of(), Map.of()),
                new StringSerializer(), new TestMetricsSerializer())) {
            for (TestMetrics m : List.of(
                    new TestMetrics("old", "fashion-mnist", "tutorial-mlp", 1, 938, 60_000, true, true, 0.484,
                            2.153328, 10_000, "a".repeat(64), 0, 0, 2.240531),
                    validated(1, 10, true, false, '1', 0.4, result("test", 20.0 / 30, 1.1, WORSE), 0.9),
                    validated(2, 15, false, false, '2', 0.5, result("test", 20.0 / 30, 1.0, WORSE), 0.7),
                    validated(2, 20, true, false, '3', 0.6, result("test", 28.0 / 30, 0.6, BETTER), 0.8),
                    validated(3, 30, true, true, '4', 0.7, result("test", 28.0 / 30, 0.5, BETTER), 0.75))) {
                producer.send(new ProducerRecord<>(topics.metrics(), m.runId(), m)).get();
            }
        }
        Path png = dir.resolve("curves.png");

        CommandRun report = CommandRun.of("report", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--metrics-topic", topics.metrics(), "--runs-topic", topics.runs(), "--run", "v", "--run", "old",
                "--out", png.toString());

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains(
                " EPOCH    SAMPLES  TRAIN LOSS   TEST LOSS  ACCURACY    VAL LOSS   VAL ACC  TRAIN ACC\n",
                "     1        100    1.000000    1.100000     66.7%    0.900000     50.0%      40.0%\n",
                "     3        300    0.333333    0.500000     93.3%    0.750000     50.0%      70.0%\n",
                "Reported snapshot: epoch 2, step 15 (sha256 222222222222…, best by validation loss): test accuracy "
                        + "66.7%, test loss 1.000000, validation loss 0.700000\n",
                "  CLASS  TEST ACC  SAMPLES\n", "  0         50.0%       10\n", "  1         80.0%       10\n",
                "  2         70.0%       10\n",
                "Run old (fashion-mnist, tutorial-mlp)\n"
                        + " EPOCH    SAMPLES  TRAIN LOSS   TEST LOSS  ACCURACY\n"
                        + "     1      60000    2.240531    2.153328     48.4%\n"
                        + "Reported snapshot: epoch 1, step 938 (sha256 aaaaaaaaaaaa…, final): test accuracy 48.4%, "
                        + "test loss 2.153328\n"
                        + "  no per-class results: its metrics record predates them\n",
                "Wrote " + png.toAbsolutePath(), "Wrote " + dir.resolve("curves-classes.png").toAbsolutePath());
        BufferedImage classes = ImageIO.read(dir.resolve("curves-classes.png").toFile());
        assertThat(classes.getWidth()).isEqualTo(2 * LearningCurvesChart.PANEL_WIDTH);
        assertThat(classes.getHeight()).as("one row: run old has no per-class results")
                .isEqualTo(LearningCurvesChart.HEIGHT);
    }
}
