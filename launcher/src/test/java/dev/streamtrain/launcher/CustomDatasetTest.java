package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A user's own IDX files under a new name: {@code --dataset NAME --dataset-format idx --classes N --data DIR}. */
class CustomDatasetTest {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void writeFiles() throws IOException {
        SyntheticIdxDataset.write(tmp.resolve("scans"), 256, 64, 5);
    }

    @Test
    void ownIdxFilesTrainUnderTheirOwnName() {
        Path state = tmp.resolve("state");
        CommandRun local = CommandRun.of("local", "--dataset", "my-scans", "--dataset-format", "idx", "--classes",
                "10", "--data", tmp.resolve("scans").toString(), "--no-download", "--epochs", "1", "--batch-size",
                "32", "--state-dir", state.toString(), "--run-id", "scans", "--metrics-port", "-1");

        assertThat(local.exitCode()).as(local.err()).isZero();
        assertThat(local.out()).contains("Run scans on my-scans (256 train / 64 test samples)",
                "Test Error: run scans, epoch 1");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            List<WeightSnapshot> snapshots = TopicRecords.readAll(broker.bootstrapServers(),
                    TopicNames.DEFAULT_SNAPSHOTS, new StringDeserializer(), new WeightSnapshotDeserializer())
                    .stream().map(ConsumerRecord::value).toList();
            assertThat(snapshots).singleElement().satisfies(s -> {
                assertThat(s.spec().dataset()).isEqualTo("my-scans");
                assertThat(s.spec().architecture().classes()).isEqualTo(10);
            });
        }
    }

    @Test
    void anUnknownNameOrAMissingClassCountIsOneClearError() {
        CommandRun unknown = CommandRun.of("produce", "--dataset", "my-scans", "--data",
                tmp.resolve("scans").toString(), "--no-download", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err()).startsWith("error: ").contains("my-scans", "fashion-mnist", "--dataset-format idx");

        CommandRun noClasses = CommandRun.of("produce", "--dataset", "my-scans", "--dataset-format", "idx",
                "--data", tmp.resolve("scans").toString(), "--no-download", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(noClasses.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(noClasses.err()).startsWith("error: ").contains("--classes");

        CommandRun tooFewClasses = CommandRun.of("produce", "--dataset", "my-scans", "--dataset-format", "idx",
                "--classes", "3", "--data", tmp.resolve("scans").toString(), "--no-download",
                "--bootstrap-servers", "127.0.0.1:1");
        assertThat(tooFewClasses.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(tooFewClasses.err()).startsWith("error: ").contains("label", "3)");
    }
}
