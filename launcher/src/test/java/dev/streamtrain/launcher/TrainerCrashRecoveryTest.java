package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.Betas;
import dev.streamtrain.model.schedule.Interval;
import dev.streamtrain.model.schedule.StepLR;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducedStream;
import dev.streamtrain.producer.ProducerListener;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingListener;
import dev.streamtrain.trainer.TrainingResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import dev.streamtrain.contracts.topic.TopicConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code streamtrain train} as an OS process, killed with SIGKILL at random points of a run and
 * restarted each time, ends with bit-identical weights, and the very same committed snapshots, as
 * an uninterrupted run of the same stream: the snapshot, the run record and the consumed offset
 * are one transaction, so a kill at any moment (mid-batch, mid-transaction) loses nothing and
 * repeats nothing. Twice: for the tutorial (plain SGD, no state), and for a run with every kind of
 * training state a snapshot must carry or a step must derive: Adam's moments and step count, a
 * step schedule's position, dropout masks, batch-norm running statistics.
 */
class TrainerCrashRecoveryTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    private static final TopicNames TOPICS = TopicNames.DEFAULT;
    private static final String STREAM = "crash-stream";
    private static final int SAMPLES = 6000; // 94 batches of 64 per epoch, the last one of 48
    private static final int BATCH = 64;
    private static final int EPOCHS = 2;
    private static final int SNAPSHOT_EVERY = 10;
    private static final int KILLS = 4;
    private static final long SEED = 42;
    private static final double LR = 0.05;

    @TempDir
    Path tmp;
    private final KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());

    @RegisterExtension
    final CommandProcesses processes = new CommandProcesses(() -> tmp);

    /** One SIGKILL: where the run stood when it landed. */
    record Kill(int threshold, int exitCode, RunRecord after, boolean transactionOpen) {
    }

    /** A recipe, as the reference run's settings and as the killed trainers' flags. */
    record Recipe(String name, TrainingRecipe recipe, List<String> flags) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Recipe> recipes() {
        return Stream.of(
                new Recipe("sgd", TrainingRecipe.tutorial(LR), List.of("--lr", String.valueOf(LR))),
                new Recipe("adam", new TrainingRecipe("mlp", Models.resolveOptions("mlp", Map.of("hidden",
                        List.of(128, 64), "dropout", 0.2, "batch_norm", true)), RunSpec.CROSS_ENTROPY,
                        new Adam(0.002, Betas.DEFAULT, 1e-8, 0, false), new StepLR(1, 0.5, Interval.EPOCH)),
                        List.of("--model", "mlp", "--hidden", "128,64", "--dropout", "0.2", "--batch-norm",
                                "--optimizer", "adam", "--lr", "0.002", "--schedule", "step", "--step-size", "1",
                                "--gamma", "0.5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void aTrainerKilledAtRandomPointsEndsExactlyWhereAnUninterruptedRunEnds(Recipe recipe) throws Exception {
        String streamId = STREAM + "-" + recipe.name();
        String reference = "reference-" + recipe.name();
        ProducedStream stream;
        try (MinibatchProducer producer = new MinibatchProducer(kafka, TOPICS, ProducerListener.NONE)) {
            stream = producer.produceTrainingStream(streamId,
                    SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, SAMPLES, 3), BATCH, EPOCHS,
                    new Sampling(true, false, 7, 0), BATCH);
        }
        int steps = stream.batches();
        long started = System.nanoTime();
        TrainingResult uninterruptedRun = new Trainer(kafka, new TrainerSettings(reference, streamId,
                recipe.recipe(), SEED, SNAPSHOT_EVERY, 0, OptionalLong.of(stream.firstOffset()), TOPICS, 1,
                Engines.AUTO), // as the train command's default: blas for the tutorial, dl4j for batch norm
                new TrainingListener() { }).run();
        System.out.printf("reference run: %d steps in %.1f s%n", uninterruptedRun.steps(),
                (System.nanoTime() - started) / 1e9);
        assertThat(uninterruptedRun.steps()).isEqualTo(steps);

        // One kill threshold (committed steps) in each part of the run, so every restart trains before it dies.
        // Even kills land mid-batch (a random delay after a commit), odd ones mid-transaction (as soon as the
        // next snapshot record is on the topic, before its transaction commits). That race is lost now and then
        // (the commit lands first); if every mid-transaction kill lost it, up to two more are tried.
        Random random = new Random(20240611L);
        int span = (steps - 2 * SNAPSHOT_EVERY) / KILLS;
        List<Kill> kills = new ArrayList<>();
        String run = "crashed-" + recipe.name();
        TopicPartition minibatches = new TopicPartition(TOPICS.minibatches(), 0);
        // the run's snapshots go to the partition Kafka's default partitioner picks for its key
        TopicPartition snapshots = new TopicPartition(TOPICS.snapshots(),
                Utils.toPositive(Utils.murmur2(run.getBytes(StandardCharsets.UTF_8))) % TopicConfigs.RUN_PARTITIONS);
        try (Admin admin = Admin.create(kafka.admin())) {
            for (int i = 0; i < KILLS || (i < KILLS + 2 && kills.stream().noneMatch(Kill::transactionOpen)); i++) {
                long resumesAt = kills.isEmpty() ? 0 : kills.get(i - 1).after().step();
                if (i >= KILLS && resumesAt + 2 * SNAPSHOT_EVERY >= steps) {
                    break;
                }
                int planned = i < KILLS ? SNAPSHOT_EVERY / 2 + i * span + random.nextInt(span - SNAPSHOT_EVERY) : 0;
                int threshold = (int) Math.max(planned, resumesAt + SNAPSHOT_EVERY / 2); // >= 1 new snapshot
                boolean midTransaction = i % 2 == 1 || i >= KILLS;
                int jitter = midTransaction ? 0 : random.nextInt(400); // anywhere in the next 10 batches
                Process trainer = startTrainer(run, streamId, recipe, i);
                long seen;
                while ((seen = committedSteps(admin, run, minibatches, stream.firstOffset())) < threshold) {
                    assertThat(trainer.isAlive()).as("trainer %d died before step %d: %s", i, threshold,
                            Files.readString(err(i))).isTrue();
                    Thread.sleep(10);
                }
                if (midTransaction) { // from a moment when no transaction is open, until a record is written
                    long end;
                    while ((end = endOffset(admin, snapshots, IsolationLevel.READ_UNCOMMITTED))
                            != endOffset(admin, snapshots, IsolationLevel.READ_COMMITTED)) {
                        Thread.sleep(1);
                    }
                    while (endOffset(admin, snapshots, IsolationLevel.READ_UNCOMMITTED) == end) {
                        assertThat(trainer.isAlive()).as("trainer %d alive", i).isTrue();
                    }
                } else {
                    Thread.sleep(jitter);
                }
                assertThat(trainer.isAlive()).as("trainer %d still running at its kill", i).isTrue();
                trainer.destroyForcibly(); // SIGKILL: no shutdown hook, no abortTransaction
                int exit = trainer.waitFor(30, TimeUnit.SECONDS) ? trainer.exitValue() : -1;
                Thread.sleep(500); // a commit the dead trainer had already asked for completes without it
                boolean open = endOffset(admin, snapshots, IsolationLevel.READ_UNCOMMITTED)
                        > endOffset(admin, snapshots, IsolationLevel.READ_COMMITTED);
                RunRecord after = RunsTopicReader.find(kafka, TOPICS.runs(), run).orElseThrow();
                kills.add(new Kill(threshold, exit, after, open));
                System.out.printf("kill %d (%s): threshold %d steps + %d ms, committed %d when seen, run record "
                                + "after: %s step %d (%d snapshots), snapshot transaction left open: %s%n", i + 1,
                        midTransaction ? "mid-transaction" : "mid-batch", threshold, jitter, seen, after.status(),
                        after.step(), after.snapshots(), open);
            }
            Process last = startTrainer(run, streamId, recipe, kills.size());
            assertThat(last.waitFor(100, TimeUnit.SECONDS)).as("last trainer finishes").isTrue();
            assertThat(last.exitValue()).as(Files.readString(err(kills.size()))).isZero();
            assertThat(committedSteps(admin, run, minibatches, stream.firstOffset())).isEqualTo(steps);
        }

        // The kills were real: SIGKILLed processes, mid-run, each after more progress than the one before.
        assertThat(kills).hasSizeGreaterThanOrEqualTo(KILLS).allSatisfy(k -> {
            assertThat(k.exitCode()).as("killed by SIGKILL").isEqualTo(128 + 9);
            assertThat(k.after().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(k.after().step()).isGreaterThanOrEqualTo(k.threshold()).isLessThan(steps);
        });
        assertThat(kills).extracting(k -> k.after().step()).isSorted().doesNotHaveDuplicates();
        assertThat(kills).as("a kill landed between a snapshot's send and its commit")
                .anyMatch(Kill::transactionOpen);
        // Every restart resumed from the snapshot its predecessor committed last, and trained on from there.
        for (int i = 1; i <= kills.size(); i++) {
            Kill before = kills.get(i - 1);
            assertThat(Files.readString(out(i))).as("trainer %d's output", i)
                    .contains("run " + run + ": resuming from snapshot at step " + before.after().step() + " ("
                            + before.after().samplesSeen() + " samples)")
                    .doesNotContain("Epoch 1\n");
        }
        String lastOut = Files.readString(out(kills.size()));
        assertThat(lastOut).contains(String.format("Trained run %s: %d epochs, %d steps, %d samples", run, EPOCHS,
                steps, (long) EPOCHS * SAMPLES), "final parameters sha256 " + uninterruptedRun.finalSha256());

        // Same weights as the uninterrupted run, at the end and at every snapshot; nothing lost, nothing twice.
        List<WeightSnapshot> all = TopicRecords.readAll(KAFKA.bootstrapServers(), TOPICS.snapshots(),
                new StringDeserializer(), new WeightSnapshotDeserializer()).stream().map(r -> r.value()).toList();
        List<WeightSnapshot> uninterrupted = all.stream().filter(s -> s.runId().equals(reference)).toList();
        List<WeightSnapshot> crashed = all.stream().filter(s -> s.runId().equals(run)).toList();
        assertThat(crashed).extracting(WeightSnapshot::step).isSorted().doesNotHaveDuplicates()
                .containsExactlyElementsOf(uninterrupted.stream().map(WeightSnapshot::step).toList());
        assertThat(crashed).extracting(s -> s.step() + " " + s.samplesSeen() + " " + s.parametersSha256())
                .containsExactlyElementsOf(uninterrupted.stream()
                        .map(s -> s.step() + " " + s.samplesSeen() + " " + s.parametersSha256()).toList());
        // the epoch's train loss carries over every kill: same sums, same batch counts, bit for bit
        assertThat(crashed).extracting(WeightSnapshot::trainLoss)
                .containsExactlyElementsOf(uninterrupted.stream().map(WeightSnapshot::trainLoss).toList())
                .allSatisfy(loss -> assertThat(loss.mean()).isFinite());
        WeightSnapshot last = crashed.get(crashed.size() - 1);
        assertThat(last.finalSnapshot()).isTrue();
        assertThat(last.step()).isEqualTo(steps);
        assertThat(last.samplesSeen()).isEqualTo((long) EPOCHS * SAMPLES);
        assertThat(last.parametersSha256()).isEqualTo(uninterruptedRun.finalSha256());
        // the optimizer state carried every kill too: the same moments as the uninterrupted run's
        assertThat(crashed).extracting(s -> WeightSnapshot.sha256(s.updaterState()))
                .containsExactlyElementsOf(uninterrupted.stream().map(s -> WeightSnapshot.sha256(s.updaterState()))
                        .toList());
        assertThat(last.updaterState()).hasSize(recipe.recipe().optimizer().stateNames().size()
                * last.spec().architecture().parameterCount());
        assertThat(last.spec().recipe()).isEqualTo(recipe.recipe());

        RunRecord record = RunsTopicReader.find(kafka, TOPICS.runs(), run).orElseThrow();
        assertThat(record.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(record.step()).isEqualTo(steps);
        assertThat(record.samplesSeen()).isEqualTo((long) EPOCHS * SAMPLES);
        assertThat(record.snapshots()).isEqualTo(crashed.size());
        assertThat(record.snapshotSha256()).isEqualTo(uninterruptedRun.finalSha256());
        assertThat(record.nextOffset()).isEqualTo(stream.lastOffset() + 1);
    }

    private Process startTrainer(String run, String stream, Recipe recipe, int index) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "train", "--bootstrap-servers", KAFKA.bootstrapServers(), "--run-id", run, "--stream", stream,
                "--snapshot-every", String.valueOf(SNAPSHOT_EVERY), "--seed", String.valueOf(SEED),
                "--threads", "1"));
        args.addAll(recipe.flags());
        return processes.start("train-" + index, args);
    }

    /** Steps of {@code run} committed so far: its consumer group's committed offset into the stream. */
    private static long committedSteps(Admin admin, String run, TopicPartition minibatches, long firstOffset)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("streamtrain-trainer-" + run)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        OffsetAndMetadata committed = offsets.get(minibatches);
        return committed == null ? 0 : committed.offset() - firstOffset;
    }

    /** The end of {@code partition}: its high watermark, or its last stable offset for read_committed. */
    private static long endOffset(Admin admin, TopicPartition partition, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                .partitionResult(partition).get().offset();
    }

    private Path out(int index) {
        return processes.stdout("train-" + index);
    }

    private Path err(int index) {
        return processes.stderr("train-" + index);
    }
}
