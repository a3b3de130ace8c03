package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance for online learning: an open stream ({@code produce --loop --rate}),
 * trained by {@code train} processes with snapshots every N steps and every interval, one killed
 * with SIGKILL and restarted, the restart stopped with SIGTERM, ends with the same snapshots, bit for
 * bit, as an uninterrupted run over the same offsets: {@code replay} trains one, snapshotting at the
 * same steps and stopping at the same offset, and finds every snapshot reproduced.
 *
 * <p>In the suite the run lasts seconds (160 steps). {@code -Dopenstream.seconds=180} makes it the "few
 * minutes": the kill comes after a third of that time, the stop at its end, and snapshots every 250 steps and 10 s.
 */
class OpenStreamCrashTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    private static final TopicNames TOPICS = TopicNames.DEFAULT;
    private static final String STREAM = "live";
    private static final String RUN = "online";
    private static final int RATE = 3000; // samples/s: ~47 batches of 64 a second, slower than the trainer
    private static final int KILL_AFTER = 60; // committed steps
    private static final int STOP_AFTER = 160;
    /** How long the trained run lasts, if set; else it is over after {@link #STOP_AFTER} steps. */
    private static final long SECONDS = Long.getLong("openstream.seconds", 0);
    private static final int SNAPSHOT_EVERY = SECONDS > 0 ? 250 : 25;
    private static final String SNAPSHOT_INTERVAL = SECONDS > 0 ? "10s" : "1s";

    @TempDir
    Path tmp;
    private final KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());

    @RegisterExtension
    final CommandProcesses processes = new CommandProcesses(() -> tmp);

    @Test
    void anOpenStreamTrainedThroughASigkillAndASigtermEndsWithTheSnapshotsOfAnUninterruptedRun() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), 1000, 100, 5);
        Process producer = processes.start("produce", "produce", "--bootstrap-servers", KAFKA.bootstrapServers(), "--data",
                data.toString(), "--no-download", "--stream", STREAM, "--loop", "--rate", String.valueOf(RATE),
                "--batch-size", "64", "--metrics-port", "-1");
        TopicPartition minibatches = new TopicPartition(TOPICS.minibatches(), 0);
        try (Admin admin = Admin.create(kafka.admin())) {
            Process first = processes.start("train-0", "train", "--bootstrap-servers", KAFKA.bootstrapServers(), "--run-id",
                    RUN, "--stream", STREAM, "--snapshot-every", String.valueOf(SNAPSHOT_EVERY), "--snapshot-interval", SNAPSHOT_INTERVAL, "--lr", "0.05",
                    "--threads", "1", "--metrics-port", "-1");
            long started = System.nanoTime();
            awaitCommittedSteps(admin, minibatches, KILL_AFTER, first, "train-0");
            awaitSeconds(started, SECONDS / 3, first, "train-0");
            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(128 + 9);
            RunRecord killed = RunsTopicReader.find(kafka, TOPICS.runs(), RUN).orElseThrow();

            Process second = processes.start("train-1", "train", "--bootstrap-servers", KAFKA.bootstrapServers(), "--run-id",
                    RUN, "--stream", STREAM, "--snapshot-every", String.valueOf(SNAPSHOT_EVERY), "--snapshot-interval", SNAPSHOT_INTERVAL, "--lr", "0.05",
                    "--threads", "1", "--metrics-port", "-1");
            awaitCommittedSteps(admin, minibatches, STOP_AFTER, second, "train-1");
            awaitSeconds(started, SECONDS, second, "train-1");
            second.destroy(); // SIGTERM: stops between two steps, with a snapshot of where it stands
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as("the JVM's exit on SIGTERM").isEqualTo(128 + 15);
            assertThat(processes.stdoutOf("train-1"))
                    .contains("Resuming run " + RUN + " from its snapshot at epoch")
                    .contains("step " + killed.step() + " (")
                    .contains("Stopped run " + RUN);
            assertThat(producer.isAlive()).as("the producer loops on").isTrue();
        }
        producer.destroy(); // SIGTERM: stops between two batches once what it sent is acked
        assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(producer.exitValue()).isEqualTo(128 + 15);
        assertThat(processes.stdoutOf("produce")).contains("Producing stream live: passes until stopped")
                .contains("batches (open of fashion-mnist)");

        RunRecord stopped = RunsTopicReader.find(kafka, TOPICS.runs(), RUN).orElseThrow();
        assertThat(stopped.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(stopped.spec().epochs()).isEqualTo(RunSpec.OPEN);
        assertThat(stopped.step()).as("SIGTERM snapshotted where it stood").isGreaterThanOrEqualTo(STOP_AFTER);
        List<WeightSnapshot> crashed = snapshotsOf(RUN);
        assertThat(crashed).extracting(WeightSnapshot::step).isSorted().doesNotHaveDuplicates()
                .contains((long) SNAPSHOT_EVERY, 2L * SNAPSHOT_EVERY, 6L * SNAPSHOT_EVERY).last().isEqualTo(stopped.step());
        assertThat(crashed).noneMatch(WeightSnapshot::finalSnapshot);

        CommandRun replay = CommandRun.of("replay", "--bootstrap-servers", KAFKA.bootstrapServers(), "--run", RUN,
                "--as", "uninterrupted");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("replaying up to offset " + (stopped.nextOffset() - 1))
                .contains("reproduced: " + crashed.size() + "/" + crashed.size() + " snapshots bit-identical");
        List<WeightSnapshot> uninterrupted = snapshotsOf("uninterrupted");
        assertThat(uninterrupted).extracting(s -> s.step() + " " + s.samplesSeen() + " " + s.parametersSha256() + " "
                        + WeightSnapshot.sha256(s.updaterState()) + " " + s.trainLoss() + " " + s.trainAccuracy())
                .containsExactlyElementsOf(crashed.stream().map(s -> s.step() + " " + s.samplesSeen() + " "
                        + s.parametersSha256() + " " + WeightSnapshot.sha256(s.updaterState()) + " " + s.trainLoss()
                        + " " + s.trainAccuracy()).toList());
        assertThat(RunsTopicReader.find(kafka, TOPICS.runs(), "uninterrupted").orElseThrow().nextOffset())
                .isEqualTo(stopped.nextOffset());
    }

    private List<WeightSnapshot> snapshotsOf(String run) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), TOPICS.snapshots(), new StringDeserializer(),
                new WeightSnapshotDeserializer()).stream().map(r -> r.value()).filter(s -> s.runId().equals(run))
                .toList();
    }

    private void awaitCommittedSteps(Admin admin, TopicPartition minibatches, long steps, Process trainer,
                                     String name) throws Exception {
        while (committedOffset(admin, minibatches) < steps) {
            assertThat(trainer.isAlive()).as("%s died: %s", name, processes.stderrOf(name))
                    .isTrue();
            Thread.sleep(20);
        }
    }

    private void awaitSeconds(long startedNanos, long seconds, Process trainer, String name) throws Exception {
        while (System.nanoTime() - startedNanos < TimeUnit.SECONDS.toNanos(seconds)) {
            assertThat(trainer.isAlive()).as("%s died: %s", name, processes.stderrOf(name)).isTrue();
            Thread.sleep(100);
        }
    }

    /** The run's committed offset into the stream (which starts at offset 0): the steps it has committed. */
    private static long committedOffset(Admin admin, TopicPartition minibatches) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("streamtrain-trainer-" + RUN)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        OffsetAndMetadata committed = offsets.get(minibatches);
        return committed == null ? 0 : committed.offset();
    }
}
