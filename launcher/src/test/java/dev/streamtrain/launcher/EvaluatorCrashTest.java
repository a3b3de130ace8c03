package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducerListener;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingListener;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import dev.streamtrain.contracts.topic.TopicConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code streamtrain evaluate} (Kafka Streams, exactly_once_v2) as an OS process, killed with
 * SIGKILL halfway through a run's snapshots, with metrics records in an open transaction, and
 * restarted on the same state dir and application id: the metrics topic, read_committed, ends with
 * exactly one record per snapshot; the restart re-evaluates exactly the snapshots not committed.
 */
class EvaluatorCrashTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    private static final TopicNames TOPICS = TopicNames.DEFAULT;
    private static final String RUN = "evaluated";
    private static final int BATCH = 32;
    // one every 2 of 48 steps, the last one final: enough that the kill lands while evaluations still go on
    private static final int SNAPSHOTS = 24;
    private static final int TEST_SAMPLES = 5000; // so that each evaluation takes a while
    private static final Pattern REPORT = Pattern.compile("^Test Error: run " + RUN + ", ", Pattern.MULTILINE);

    @TempDir
    Path tmp;
    private final KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());

    @RegisterExtension
    final CommandProcesses processes = new CommandProcesses(() -> tmp);

    @Test
    void aKilledEvaluatorRestartsAndPublishesExactlyOneMetricsRecordPerSnapshot() throws Exception {
        try (MinibatchProducer producer = new MinibatchProducer(kafka, TOPICS, ProducerListener.NONE)) {
            producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, TEST_SAMPLES, 5), 500);
            producer.produceTrainingStream(RUN, SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN,
                    SNAPSHOTS * 2 * BATCH, 6), BATCH, 1, new Sampling(true, false, 1, 0), 500);
        }
        new Trainer(kafka, new TrainerSettings(RUN, RUN, TrainingRecipe.tutorial(0.05), 42, 2, 0,
                OptionalLong.empty(), TOPICS, 1), new TrainingListener() { }).run();
        List<WeightSnapshot> snapshots;
        try (SnapshotsTopicReader reader = new SnapshotsTopicReader(kafka, TOPICS.snapshots())) {
            snapshots = reader.ofRun(RUN);
        }
        assertThat(snapshots).hasSize(SNAPSHOTS);
        assertThat(snapshots.get(SNAPSHOTS - 1).finalSnapshot()).isTrue();

        // Kill once a random number of metrics records, at least one and at most half, is committed, while the
        // next ones are written in a transaction that is still open: freeze the process (SIGSTOP) when one is
        // seen open, and kill it (SIGKILL) if the transaction is still open once requests in flight have landed.
        int target = 1 + new Random(7).nextInt(SNAPSHOTS / 2);
        Process first = startEvaluator(0);
        int seen = 0;
        int freezes = 0;
        // metrics are keyed by run id: the partition Kafka's default partitioner picks for the run
        TopicPartition metricsPartition = new TopicPartition(TOPICS.metrics(),
                Utils.toPositive(Utils.murmur2(RUN.getBytes(StandardCharsets.UTF_8))) % TopicConfigs.RUN_PARTITIONS);
        try (Admin admin = Admin.create(kafka.admin());
             KafkaConsumer<byte[], byte[]> committed = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            committed.assign(List.of(metricsPartition));
            committed.seekToBeginning(List.of(metricsPartition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                if (!first.isAlive()) {
                    throw new AssertionError("the evaluator exited (" + first.exitValue() + ") before its kill, after "
                            + seen + " committed metrics records; its stdout:\n" + Files.readString(out(0))
                            + "\nits stderr:\n" + Files.readString(err(0)));
                }
                assertThat(System.nanoTime()).as("%d metrics within 90 s", target).isLessThan(deadline);
                seen += committed.poll(Duration.ofMillis(seen < target ? 20 : 0)).count();
                if (seen >= target && OpenTransactions.on(admin, List.of(metricsPartition))) {
                    CommandProcesses.signal(first, "STOP");
                    freezes++;
                    Thread.sleep(300);
                    if (OpenTransactions.on(admin, List.of(metricsPartition))) {
                        break;
                    }
                    CommandProcesses.signal(first, "CONT"); // it was committing: catch the next one
                }
            }
            first.destroyForcibly(); // SIGKILL: no close, no commit, no abort
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            assertThat(OpenTransactions.on(admin, List.of(metricsPartition))).as("killed with a transaction open").isTrue();
        }
        int committedAtKill = metrics().size();
        int printedBeforeKill = reports(0);
        System.out.printf("evaluator killed (after %d freeze(s)): target %d, %d committed, %d evaluated (printed), "
                + "the rest of them in the open transaction%n", freezes, target, committedAtKill, printedBeforeKill);
        assertThat(committedAtKill).as("killed mid-stream").isBetween(target, SNAPSHOTS - 1);
        assertThat(printedBeforeKill).isGreaterThan(committedAtKill);

        long restarted = System.nanoTime();
        Process second = startEvaluator(1);
        assertThat(second.waitFor(100, TimeUnit.SECONDS)).as("restarted evaluator exits after the final snapshot")
                .isTrue();
        assertThat(second.exitValue()).as(Files.readString(err(1))).isZero();
        System.out.printf("restarted evaluator finished in %.1f s%n", (System.nanoTime() - restarted) / 1e9);
        // The evaluator's state store keeps its Kafka Streams process id in --state-dir, so the restart has the
        // dead instance's transactional id: it fences it and aborts its open transaction at once, and everything
        // it evaluated is visible read_committed as soon as it exits.
        int visible = metrics().size();
        System.out.printf("when the restarted evaluator exited, %d of %d metrics were visible read_committed%n",
                visible, SNAPSHOTS);
        assertThat(visible).as("committed results visible when the restarted evaluator exits").isEqualTo(SNAPSHOTS);
        try (Admin admin = Admin.create(kafka.admin())) {
            assertThat(OpenTransactions.on(admin, List.of(metricsPartition))).as("the dead evaluator's transaction is aborted")
                    .isFalse();
        }
        List<TestMetrics> metrics = metrics();
        assertThat(metrics).as("exactly one committed metrics record per snapshot").hasSize(SNAPSHOTS);
        assertThat(metrics).extracting(TestMetrics::snapshotSha256).doesNotHaveDuplicates()
                .containsExactlyElementsOf(snapshots.stream().map(WeightSnapshot::parametersSha256).toList());
        assertThat(metrics).extracting(TestMetrics::step).doesNotHaveDuplicates()
                .containsExactlyElementsOf(snapshots.stream().map(WeightSnapshot::step).toList());
        Map<String, WeightSnapshot> bySha = snapshots.stream()
                .collect(Collectors.toMap(WeightSnapshot::parametersSha256, Function.identity()));
        assertThat(metrics).allSatisfy(m -> {
            WeightSnapshot s = bySha.get(m.snapshotSha256());
            assertThat(m.runId()).isEqualTo(RUN);
            assertThat(m.step()).isEqualTo(s.step());
            assertThat(m.samplesSeen()).isEqualTo(s.samplesSeen());
            assertThat(m.finalSnapshot()).isEqualTo(s.finalSnapshot());
            assertThat(m.testSamples()).isEqualTo(TEST_SAMPLES);
        });
        // Under read_uncommitted the aborted metrics of the killed evaluator's open transaction are still there.
        int written = OpenTransactions.countReadUncommitted(KAFKA.bootstrapServers(), List.of(metricsPartition));
        System.out.printf("metrics topic: %d records committed, %d written in all%n", metrics.size(), written);
        assertThat(written).isGreaterThan(SNAPSHOTS);
        // The restart resumed at the committed offset: it evaluated exactly the snapshots not yet committed.
        assertThat(reports(1)).isEqualTo(SNAPSHOTS - committedAtKill);
    }

    private Process startEvaluator(int index) throws IOException {
        return processes.start("evaluate-" + index,
                "evaluate", "--bootstrap-servers", KAFKA.bootstrapServers(), "--exit-after", RUN, "--threads", "1",
                "--state-dir", tmp.resolve("evaluator").toString(), "--application-id", "crash-evaluator",
                // Several metrics records per transaction, so a kill can land while one is open; and the
                // restarted instance (a new member) need not wait 45 s for the dead one's session to expire.
                "-X", "commit.interval.ms=500", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=1000");
    }

    private static List<TestMetrics> metrics() {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), TOPICS.metrics(), new StringDeserializer(),
                new TestMetricsDeserializer()).stream().map(ConsumerRecord::value).toList();
    }

    private int reports(int index) throws IOException {
        return (int) REPORT.matcher(Files.readString(out(index))).results().count();
    }

    private Path out(int index) {
        return processes.stdout("evaluate-" + index);
    }

    private Path err(int index) {
        return processes.stderr("evaluate-" + index);
    }
}
