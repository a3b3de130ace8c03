package dev.streamtrain.engine.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.ConsumedOffset;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.loss.OutputActivation;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves that docs/wire-format.md is enough to use a snapshot outside the JVM: the Python reader in
 * docs/examples/snapshot_predict.py, written from the document alone (standard library + numpy),
 * decodes records written by the real serializers and, for every built-in model and loss, computes
 * the logits the engine computes (every value within 1e-5), hence its predictions.
 */
class SnapshotPythonReaderTest {

    /** Surefire runs tests in the module directory, /work/main/engine-dl4j. */
    private static final Path SCRIPT = Path.of("..", "docs", "examples", "snapshot_predict.py")
            .toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEST_SAMPLES = 12;
    private static final double TOLERANCE = 1e-5;

    private static Case TUTORIAL;
    private static boolean pythonWithNumpy;

    @TempDir
    Path dir;

    /** A trained network's snapshot, a test batch for it, and what the engine outputs on the batch. */
    record Case(String name, WeightSnapshot snapshot, Minibatch batch, float[] outputs, OutputActivation output) {

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void trainAndSnapshot() {
        pythonWithNumpy = pythonHasNumpy();
        assertThat(SCRIPT).as("the documented example reader").isRegularFile();
        MathThreads.apply(1);
        TUTORIAL = trained("tutorial-mlp", Map.of(), RunSpec.CROSS_ENTROPY, Shape.of(1, 28, 28));
    }

    static Stream<Case> everyModelAndLoss() {
        return Stream.of(TUTORIAL,
                trained("mlp", Map.of("hidden", List.of(32, 16), "batch_norm", true, "dropout", 0.3,
                        "activation", "tanh"), "nll", Shape.of(3, 8, 8)),
                trained("mlp", Map.of("hidden", List.of(24), "activation", "sigmoid"), "mse", Shape.of(1, 28, 28)),
                trained("convnet-small", Map.of(), RunSpec.CROSS_ENTROPY, Shape.of(1, 28, 28)),
                trained("convnet-small", Map.of("channels", 4, "kernel_size", 5, "activation", "identity"), "nll",
                        Shape.of(3, 32, 32)),
                trained("lenet5", Map.of(), RunSpec.CROSS_ENTROPY, Shape.of(1, 28, 28)),
                trained("lenet5", Map.of(), "mse", Shape.of(3, 32, 32)));
    }

    /** {@code model} trained three Adam steps (so batch-norm statistics have moved), snapshotted. */
    private static Case trained(String model, Map<String, ?> options, String loss, Shape shape) {
        Map<String, Object> resolved = Models.resolveOptions(model, options);
        Architecture architecture = Models.build(model, resolved, shape, 10);
        Network network = new Dl4jEngine().create(architecture, Losses.get(loss));
        network.setParameters(TorchInit.parameters(architecture.parameters(), 42));
        Optimizer adam = new Optimizer(Adam.defaults(), architecture.parameterCount());
        for (int step = 0; step < 3; step++) {
            network.forwardBackward(ToTensor.apply(batch(shape, 32, step, Split.TRAIN)), step);
            network.step(adam, 1e-2);
        }
        RunSpec spec = new RunSpec("python-" + model, "stream-1", "synthetic", model, loss, Adam.defaults(), 32, 1, 42L,
                TopicNames.DEFAULT, EnvironmentProbe.current(1), 0, resolved, null, architecture, "dl4j");
        WeightSnapshot snapshot = WeightSnapshot.of(spec, 1, 3, 96, 1_732_243_200_000L, false, false,
                new EpochLoss(6.75, 3), List.of(new ConsumedOffset(TopicNames.DEFAULT_MINIBATCHES, 0, 3)),
                architecture.layout(), network.parameters(), new float[0]);
        Minibatch test = batch(shape, TEST_SAMPLES, 11, Split.TEST);
        return new Case(model + " " + resolved + " " + loss + " " + shape, snapshot, test,
                network.predict(ToTensor.apply(test)), Losses.get(loss).output());
    }

    private static Minibatch batch(Shape shape, int n, long seed, Split split) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * shape.size()];
        byte[] labels = new byte[n];
        random.nextBytes(pixels);
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) random.nextInt(10);
        }
        return new Minibatch("synthetic", split, 1, 1, 0, 1, n, 10, shape.dims(), pixels, labels);
    }

    /** Skips each test, visibly, only where python3 cannot import numpy. */
    @BeforeEach
    void requirePythonWithNumpy() {
        assumeTrue(pythonWithNumpy, "python3 cannot import numpy (CI installs python3-numpy)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyModelAndLoss")
    void pythonReaderComputesWhatTheEngineComputes(Case c) throws Exception {
        Path snapshotFile = write("snapshot.bin", new WeightSnapshotSerializer().serialize("t", c.snapshot()));
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", c.batch()));

        Run run = python(SCRIPT.toString(), snapshotFile.toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertMatchesEngine(c, out);
        assertThat(out.get("trainLoss").asDouble()).isEqualTo(2.25);
    }

    @Test
    void aSpecWrittenBeforeArchitecturesIsTheTutorialsNetwork() throws Exception {
        String json = RunSpecJson.write(TUTORIAL.snapshot().spec());
        String old = json.substring(0, json.indexOf(",\"modelOptions\"")) + "}";
        WeightSnapshot snapshot = TUTORIAL.snapshot();
        byte[] record = new WeightSnapshotSerializer().serialize("t", snapshot);
        byte[] specBytes = json.getBytes(StandardCharsets.UTF_8);
        byte[] oldBytes = old.getBytes(StandardCharsets.UTF_8);
        int specAt = 4 + 1 + 1 + 2 + snapshot.runId().length() + 4;
        ByteBuffer rewritten = ByteBuffer.allocate(record.length - specBytes.length + oldBytes.length);
        rewritten.put(record, 0, specAt - 4).putInt(oldBytes.length).put(oldBytes)
                .put(record, specAt + specBytes.length, record.length - specAt - specBytes.length);
        assertThat(new WeightSnapshotDeserializer().deserialize("t", rewritten.array()).spec().architecture())
                .isEqualTo(TutorialMlp.architecture());

        Run run = python(SCRIPT.toString(), write("old-spec.bin", rewritten.array()).toString(),
                write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch())).toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        assertMatchesEngine(TUTORIAL, JSON.readTree(run.stdout()));
    }

    /** Version 1 is version 2 without trainLossSum (f64) and trainLossBatches (i32) after createdAtMillis. */
    @Test
    void pythonReaderReadsVersion1Snapshots() throws Exception {
        byte[] v2 = new WeightSnapshotSerializer().serialize("t", TUTORIAL.snapshot);
        int trainLoss = 4 + 1 + 1 + 2 + TUTORIAL.snapshot.runId().length() + 4
                + RunSpecJson.write(TUTORIAL.snapshot.spec()).getBytes(StandardCharsets.UTF_8).length + 4 + 8 + 8 + 8;
        assertThat(ByteBuffer.wrap(v2).getDouble(trainLoss)).isEqualTo(6.75);
        byte[] v1 = new byte[v2.length - 12];
        System.arraycopy(v2, 0, v1, 0, trainLoss);
        System.arraycopy(v2, trainLoss + 12, v1, trainLoss, v2.length - trainLoss - 12);
        v1[4] = 1;
        assertThat(new WeightSnapshotDeserializer().deserialize("t", v1).trainLoss()).isEqualTo(EpochLoss.UNKNOWN);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch));

        Run run = python(SCRIPT.toString(), write("snapshot-v1.bin", v1).toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertMatchesEngine(TUTORIAL, out);
        assertThat(out.get("trainLoss").isNull()).as("a version 1 snapshot has no train loss").isTrue();
    }

    @Test
    void pythonReaderSkipsAnUpdaterStateItDoesNotUse() throws Exception {
        // Plain SGD writes no updater state; a reader must still skip one by its count.
        WeightSnapshot withUpdater = WeightSnapshot.of(TUTORIAL.snapshot.spec(), 1, 3, 192,
                1_732_243_200_000L, true, true, EpochLoss.NONE, TUTORIAL.snapshot.offsets(),
                TUTORIAL.snapshot.layout(), TUTORIAL.snapshot.parameters(), new float[] {0.5f, -1f, 3e-7f, Float.NaN, 7f});
        Path snapshotFile = write("snapshot.bin", new WeightSnapshotSerializer().serialize("t", withUpdater));
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch));

        Run run = python(SCRIPT.toString(), snapshotFile.toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        assertMatchesEngine(TUTORIAL, JSON.readTree(run.stdout()));
    }

    @Test
    void pythonReaderRejectsACorruptedParameterByte() throws Exception {
        byte[] record = new WeightSnapshotSerializer().serialize("t", TUTORIAL.snapshot);
        // The record ends: parameters | updaterCount i64 | updaterState (empty here) | sha256 (32 bytes).
        int parametersEnd = record.length - 32 - 8;
        byte[] corrupt = record.clone();
        corrupt[parametersEnd - 4 * 1000 - 2] ^= 0x10;
        assertThatThrownBy(() -> new WeightSnapshotDeserializer().deserialize("t", corrupt))
                .as("the flipped byte lies in the checksummed parameters")
                .isInstanceOf(SerializationException.class).hasMessageContaining("checksum mismatch");
        Path snapshotFile = write("corrupt.bin", corrupt);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch));

        Run run = python(SCRIPT.toString(), snapshotFile.toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status of a corrupt snapshot").isNotZero();
        assertThat(run.stderr()).contains("checksum mismatch").contains(TUTORIAL.snapshot.parametersSha256());
        assertThat(run.stdout()).isBlank();
    }

    @Test
    void pythonReaderRejectsUnknownVersionsAndForeignRecords() throws Exception {
        byte[] snapshotRecord = new WeightSnapshotSerializer().serialize("t", TUTORIAL.snapshot);
        byte[] batchRecord = new MinibatchSerializer().serialize("t", TUTORIAL.batch);
        Path goodSnapshot = write("snapshot.bin", snapshotRecord);
        Path goodBatch = write("minibatch.bin", batchRecord);
        byte[] snapshotV3 = snapshotRecord.clone();
        snapshotV3[4] = 3;
        byte[] batchV2 = batchRecord.clone();
        batchV2[4] = 2;

        Run newerSnapshot = python(SCRIPT.toString(), write("snapshot-v3.bin", snapshotV3).toString(),
                goodBatch.toString());
        Run newerBatch = python(SCRIPT.toString(), goodSnapshot.toString(),
                write("minibatch-v2.bin", batchV2).toString());
        Run swapped = python(SCRIPT.toString(), goodBatch.toString(), goodSnapshot.toString());
        byte[] trailing = new byte[snapshotRecord.length + 1];
        System.arraycopy(snapshotRecord, 0, trailing, 0, snapshotRecord.length);
        Run withTrailingByte = python(SCRIPT.toString(), write("trailing.bin", trailing).toString(),
                goodBatch.toString());

        assertThat(newerSnapshot.exit()).isNotZero();
        assertThat(newerSnapshot.stderr()).contains("weight snapshot record").contains("unsupported version 3");
        assertThat(newerBatch.exit()).isNotZero();
        assertThat(newerBatch.stderr()).contains("minibatch record").contains("unsupported version 2");
        assertThat(swapped.exit()).isNotZero();
        assertThat(swapped.stderr()).contains("bad magic");
        assertThat(withTrailingByte.exit()).isNotZero();
        assertThat(withTrailingByte.stderr()).contains("trailing");
    }

    private static void assertMatchesEngine(Case c, JsonNode out) {
        WeightSnapshot snapshot = c.snapshot();
        assertThat(out.get("runId").asText()).isEqualTo(snapshot.runId());
        assertThat(out.get("sha256").asText()).isEqualTo(snapshot.parametersSha256());
        assertThat(out.get("model").asText()).isEqualTo(snapshot.spec().model());
        JsonNode samples = out.get("samples");
        assertThat(samples).hasSize(TEST_SAMPLES);
        for (int i = 0; i < TEST_SAMPLES; i++) {
            JsonNode sample = samples.get(i);
            assertThat(sample.get("label").asInt()).isEqualTo(c.batch().label(i));
            double[] logits = new double[10];
            for (int k = 0; k < 10; k++) {
                logits[k] = sample.get("logits").get(k).asDouble();
            }
            // what the engine's last layer emits is the loss's activation of the logits
            double[] expected = c.output().apply(logits, 10);
            int best = 0;
            for (int k = 0; k < 10; k++) {
                assertThat((double) c.outputs()[i * 10 + k]).as("%s: output %d of sample %d", c, k, i)
                        .isCloseTo(expected[k], within(TOLERANCE));
                best = c.outputs()[i * 10 + k] > c.outputs()[i * 10 + best] ? k : best;
            }
            assertThat(sample.get("predicted").asInt()).as("%s: class of sample %d", c, i).isEqualTo(best);
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private Run python(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "python", ".out");
        Path err = Files.createTempFile(dir, "python", ".err");
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python3 " + args[0] + " did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean pythonHasNumpy() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import numpy")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
