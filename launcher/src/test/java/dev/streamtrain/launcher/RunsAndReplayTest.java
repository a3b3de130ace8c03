package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.Environment;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.RunRecordSerializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.loss.Losses;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * After {@code local}, the commands {@code runs}, {@code snapshots}, {@code replay} and
 * {@code sweep} work one after another with no setup: each starts the embedded broker over the
 * state dir that {@code local} left.
 */
class RunsAndReplayTest {

    @TempDir
    static Path tmp;
    static Path state;

    @BeforeAll
    static void trainOneRun() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 400, 100, 5);
        state = tmp.resolve("state");
        CommandRun local = CommandRun.of("local", "--data", data.toString(), "--no-download", "--state-dir",
                state.toString(), "--run-id", "base", "--epochs", "2", "--batch-size", "40", "--snapshot-every", "4",
                "--lr", "0.05");
        assertThat(local.exitCode()).as(local.err()).isZero();
        // every source of state a run has: Adam's moments, a schedule's position, dropout masks, batch-norm statistics
        CommandRun adam = CommandRun.of("local", "--data", data.toString(), "--no-download", "--state-dir",
                state.toString(), "--run-id", "adam", "--epochs", "2", "--batch-size", "40", "--snapshot-every", "4",
                "--model", "mlp", "--hidden", "64,32", "--dropout", "0.2", "--batch-norm", "--optimizer", "adam",
                "--lr", "0.002", "--schedule", "step", "--step-size", "1", "--gamma", "0.5");
        assertThat(adam.exitCode()).as(adam.err()).isZero();
    }

    @Test
    void runsSnapshotsReplayAndSweepWorkOneAfterAnother() throws Exception {
        CommandRun runs = run("runs");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).containsPattern("base +FINISHED +fashion-mnist +tutorial-mlp +cross-entropy +sgd +40 +2 "
                + "+42 +6 +20 +\\d+\\.\\d% \\(epoch \\d, step \\d+\\)\n +model tutorial-mlp, loss cross-entropy, "
                + "optimizer SGD\\(lr=0.05, momentum=0, dampening=0, nesterov=False, weight_decay=0\\), schedule "
                + "constant\n");
        assertThat(runs.out()).contains("model mlp(hidden=[64, 32], activation=relu, dropout=0.2, batch_norm=true), "
                + "loss cross-entropy, optimizer Adam(lr=0.002, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, "
                + "amsgrad=False), schedule StepLR(step_size=1, gamma=0.5, interval=epoch)");

        CommandRun snapshots = run("snapshots", "--run", "base");
        assertThat(snapshots.exitCode()).as(snapshots.err()).isZero();
        // steps 4, 8, 10 (epoch end), 12, 16, 20 (epoch end, final): every one evaluated by local's evaluator
        assertThat(snapshots.out().lines().skip(1).map(l -> l.trim().split(" +")[1]))
                .containsExactly("4", "8", "10", "12", "16", "20");
        assertThat(snapshots.out()).doesNotContain("pending").containsPattern("\\d+\\.\\d%");

        CommandRun replay = run("replay", "--run", "base", "--as", "base-again");
        assertThat(replay.exitCode()).as(replay.err()).isEqualTo(ExitCodes.OK);
        assertThat(replay.out()).contains("epoch 2 step 20: reproduced",
                "reproduced: 6/6 snapshots bit-identical");
        assertThat(replay.err()).doesNotContain("warning");

        CommandRun changed = run("replay", "--run", "base", "--as", "base-lr", "--set", "lr=0.2");
        assertThat(changed.exitCode()).as(changed.err()).isZero();
        assertThat(changed.out()).contains("New run base-lr trained on the data of base with {lr=[0.2]}")
                .doesNotContain("bit-identical");

        CommandRun replayAdam = run("replay", "--run", "adam", "--as", "adam-again");
        assertThat(replayAdam.exitCode()).as(replayAdam.out() + replayAdam.err()).isEqualTo(ExitCodes.OK);
        assertThat(replayAdam.out()).contains("reproduced: 6/6 snapshots bit-identical");

        CommandRun sweep = run("sweep", "--like", "base", "--set", "optimizer=adam,sgd", "--set", "lr=0.01,0.02",
                "--name", "sw");
        assertThat(sweep.exitCode()).as(sweep.err()).isZero();
        assertThat(sweep.out()).contains("Sweep sw: 4 runs", "sw-optimizeradam-lr0.01: 20 steps",
                "sw-optimizersgd-lr0.02: 20 steps", "optimizer Adam(lr=0.01, betas=(0.9, 0.999)",
                "optimizer SGD(lr=0.02, momentum=0");

        CommandRun all = run("runs");
        assertThat(all.out()).contains("base-again", "base-lr", "adam-again", "sw-optimizeradam-lr0.01",
                        "sw-optimizeradam-lr0.02", "sw-optimizersgd-lr0.01", "sw-optimizersgd-lr0.02")
                .containsPattern("base-lr +FINISHED +fashion-mnist +tutorial-mlp +cross-entropy +sgd ")
                .contains("optimizer SGD(lr=0.2, momentum=0");

        assertThat(run("replay", "--run", "nope").err()).contains("no run 'nope' on streamtrain.runs; known runs: [base");
        assertThat(run("snapshots", "--run", "nope").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run("replay", "--run", "base", "--set", "warmup=3").err())
                .contains("--set warmup: unknown key 'warmup'; known keys: dataset, dataset_format, classes, batch_size");
        assertThat(run("replay", "--run", "base", "--set", "batch_size=32").err())
                .contains("--set batch_size: the stream fixes batch_size; produce a new stream to change it");
        assertThat(run("replay", "--run", "base", "--set", "optimizer=adam", "--set", "momentum=0.9").err())
                .contains("optimizer parameter 'momentum' is a parameter of sgd and rmsprop, not of adam");
    }

    @Test
    void replayMovesARunToTheOtherEngineWhoseRunsReplayBitForBit() throws Exception {
        CommandRun onDl4j = run("replay", "--run", "base", "--as", "base-dl4j", "--set", "engine=dl4j");
        assertThat(onDl4j.exitCode()).as(onDl4j.err()).isZero();
        assertThat(onDl4j.out()).contains("New run base-dl4j trained on the data of base with {engine=");

        CommandRun again = run("replay", "--run", "base-dl4j", "--as", "base-dl4j-again");
        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).contains("reproduced: 6/6 snapshots bit-identical");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            for (String run : List.of("base-dl4j", "base-dl4j-again")) {
                assertThat(RunsTopicReader.find(kafka, TopicNames.DEFAULT_RUNS, run).orElseThrow().spec().engine())
                        .as(run).isEqualTo("dl4j");
            }
            // local's default, auto, resolved to blas for the tutorial's MLP, and the spec says so
            assertThat(RunsTopicReader.find(kafka, TopicNames.DEFAULT_RUNS, "base").orElseThrow().spec().engine())
                    .isEqualTo("blas");
        }
        assertThat(run("replay", "--run", "base", "--set", "engine=torch").err())
                .contains("unknown engine 'torch'; known: [").contains("(set by --set engine)");
    }

    @Test
    void replayOfARunFromAnotherEnvironmentWarnsAndStillRuns() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            RunRecord base = RunsTopicReader.find(kafka, TopicNames.DEFAULT_RUNS, "base").orElseThrow();
            RunSpec s = base.spec();
            Environment e = s.environment();
            RunSpec elsewhere = new RunSpec("old", s.stream(), s.dataset(), s.model(), s.loss(), s.optimizer(),
                    s.batchSize(), s.epochs(), s.seed(), s.topics(), new Environment(e.streamtrainVersion(), "0.9.1",
                    e.kafkaVersion(), e.javaVersion(), e.os(), e.arch(), 4, "Zen", "7"), s.snapshotEvery());
            RunRecord old = new RunRecord("old", base.status(), elsewhere, base.startedAtMillis(),
                    base.updatedAtMillis(), base.minibatchTopic(), base.firstOffset(), base.nextOffset(),
                    base.snapshots(), base.step(), base.samplesSeen(), base.snapshotOffset(), base.snapshotSha256(), "",
                    base.snapshotPartition());
            try (KafkaProducer<String, RunRecord> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                    new RunRecordSerializer())) {
                producer.send(new ProducerRecord<>(TopicNames.DEFAULT_RUNS, "old", old)).get();
            }
        }
        String kernelsNow = EnvironmentProbe.blasCoreType();
        String threadsNow = EnvironmentProbe.ompNumThreads();
        Assumptions.assumeFalse("Zen".equals(kernelsNow), "this process runs OpenBLAS's Zen kernels itself");
        Assumptions.assumeFalse("7".equals(threadsNow), "this process runs 7 OpenMP threads itself");
        CommandRun replay = run("replay", "--run", "old", "--as", "old-again", "--set", "threads=1");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.err()).contains("warning: run old was trained with DL4J 0.9.1 (now 1.0.0-M2.1), "
                + "math threads 4 (now 1), OpenBLAS kernels OPENBLAS_CORETYPE=Zen (now "
                + (kernelsNow == null ? "chosen by OpenBLAS" : "OPENBLAS_CORETYPE=" + kernelsNow)
                + "), OpenMP threads OMP_NUM_THREADS=7 (now "
                + (threadsNow == null ? "OMP_NUM_THREADS unset" : "OMP_NUM_THREADS=" + threadsNow)
                + "); bit-identical snapshots are not expected",
                "to replay with the run's settings: OPENBLAS_CORETYPE=Zen OMP_NUM_THREADS=7 ./streamtrain replay ...");
    }

    @Test
    void exportWritesASnapshotThatPlainDl4jRestoresAndThatPredictsAsTheEngine() throws Exception {
        Path zip = tmp.resolve("adam-step8.zip");
        CommandRun export = run("export", "--run", "adam", "--step", "8", "--out", zip.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).contains("Wrote " + zip.toAbsolutePath() + ": run adam, epoch 1, step 8",
                "trained by engine dl4j");
        assertThat(run("export", "--run", "adam", "--step", "7").err())
                .contains("run 'adam' has no snapshot at step 7; its snapshots are at steps [4, 8, 10, 12, 16, 20]");

        WeightSnapshot snapshot;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            snapshot = TopicRecords.readAll(broker.bootstrapServers(), TopicNames.DEFAULT_SNAPSHOTS,
                            new StringDeserializer(), new WeightSnapshotDeserializer()).stream()
                    .map(ConsumerRecord::value).filter(s -> s.runId().equals("adam") && s.step() == 8)
                    .findFirst().orElseThrow();
        }
        Architecture architecture = snapshot.spec().architecture();
        Network network = Engines.get("dl4j").create(architecture, Losses.get(snapshot.spec().loss()));
        network.setParameters(snapshot.parameters());
        SplittableRandom random = new SplittableRandom(1);
        float[] features = new float[8 * architecture.inputShape().size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        float[] expected = network.predict(new TensorBatch(features, new int[8], architecture.inputShape(),
                architecture.classes()));
        float[] actual = MultiLayerNetwork.load(zip.toFile(), false)
                .output(Nd4j.create(features, new long[] {8, architecture.inputShape().size()}, 'c'), false)
                .dup('c').data().asFloat();
        assertThat(actual).containsExactly(expected, within(1e-5f));
    }

    private static CommandRun run(String... args) {
        String[] withState = new String[args.length + 2];
        System.arraycopy(args, 0, withState, 0, args.length);
        withState[args.length] = "--state-dir";
        withState[args.length + 1] = state.toString();
        return CommandRun.of(withState);
    }
}
