package dev.streamtrain.engine.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.ConsumedOffset;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.wire.PrequentialMetrics;
import dev.streamtrain.contracts.wire.PrequentialState;
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
import java.util.Arrays;
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
 * decodes records written by the real serializers (snapshots of versions 1 to 3, minibatches of
 * versions 1 and 2, test and validation batches) and, for every built-in model and loss, with and
 * without the spec's {@code Normalize} (per channel, and one value for every channel), computes the
 * logits the engine computes on {@code ToTensor.apply(batch, spec.transforms())} (every value within
 * 1e-5), hence its predictions.
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

    /** CIFAR-10's per-channel statistics, as torchvision examples normalize it. */
    private static final Normalize CIFAR_NORMALIZE = new Normalize(new double[] {0.4914, 0.4822, 0.4465},
            new double[] {0.2470, 0.2435, 0.2616});
    /** MNIST's statistics: one value for its one channel. */
    private static final Normalize MNIST_NORMALIZE = new Normalize(new double[] {0.1307}, new double[] {0.3081});
    /** {@code Normalize((0.5,), (0.5,))}: [0, 1] onto [-1, 1]. */
    private static final Normalize HALVES = new Normalize(new double[] {0.5}, new double[] {0.5});
    private static final Sampling STREAM = new Sampling(true, false, 42, 6000);

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
        TUTORIAL = trained("tutorial-mlp", Map.of(), RunSpec.CROSS_ENTROPY, Shape.of(1, 28, 28), List.of());
    }

    static Stream<Case> everyModelAndLoss() {
        return Stream.of(TUTORIAL,
                trained("mlp", Map.of("hidden", List.of(32, 16), "batch_norm", true, "dropout", 0.3,
                        "activation", "tanh"), "nll", Shape.of(3, 8, 8), List.of()),
                trained("mlp", Map.of("hidden", List.of(24), "activation", "sigmoid"), "mse", Shape.of(1, 28, 28),
                        List.of()),
                trained("convnet-small", Map.of(), RunSpec.CROSS_ENTROPY, Shape.of(1, 28, 28), List.of()),
                trained("convnet-small", Map.of("channels", 4, "kernel_size", 5, "activation", "identity"), "nll",
                        Shape.of(3, 32, 32), List.of()),
                trained("lenet5", Map.of(), RunSpec.CROSS_ENTROPY, Shape.of(1, 28, 28), List.of()),
                trained("lenet5", Map.of(), "mse", Shape.of(3, 32, 32), List.of()),
                normalizedTutorial(),
                trained("lenet5", Map.of(), "nll", Shape.of(1, 28, 28), List.of(MNIST_NORMALIZE)),
                trained("convnet-small", Map.of("channels", 4), RunSpec.CROSS_ENTROPY, Shape.of(3, 32, 32),
                        List.of(CIFAR_NORMALIZE)),
                trained("mlp", Map.of("hidden", List.of(32, 16), "batch_norm", true, "activation", "tanh"), "nll",
                        Shape.of(3, 8, 8), List.of(CIFAR_NORMALIZE, HALVES)),
                trained("mlp", Map.of("hidden", List.of(16)), "mse", Shape.of(3, 8, 8), List.of(HALVES)));
    }

    /** The tutorial's network on a stream with a validation split, with Normalize((0.5,), (0.5,)). */
    private static Case normalizedTutorial() {
        return trained("tutorial-mlp", Map.of(), RunSpec.CROSS_ENTROPY, Shape.of(1, 28, 28), List.of(HALVES));
    }

    /**
     * {@code model} trained three Adam steps (so batch-norm statistics have moved) on batches transformed by
     * {@code transforms} after ToTensor, as the trainer does, snapshotted.
     */
    private static Case trained(String model, Map<String, ?> options, String loss, Shape shape,
                                List<TensorTransform> transforms) {
        Map<String, Object> resolved = Models.resolveOptions(model, options);
        Architecture architecture = Models.build(model, resolved, shape, 10);
        Network network = new Dl4jEngine().create(architecture, Losses.get(loss));
        network.setParameters(TorchInit.parameters(architecture.parameters(), 42));
        Optimizer adam = new Optimizer(Adam.defaults(), architecture.parameterCount());
        RunSpec spec = new RunSpec("python-" + model, "stream-1", "synthetic", model, loss, Adam.defaults(), 32, 1, 42L,
                TopicNames.DEFAULT, EnvironmentProbe.current(1), 0, resolved, null, architecture, "dl4j",
                transforms.isEmpty() ? null : STREAM, transforms);
        for (int step = 0; step < 3; step++) {
            network.forwardBackward(ToTensor.apply(batch(shape, 32, step, Split.TRAIN), spec.transforms()), step);
            network.step(adam, 1e-2);
        }
        WeightSnapshot snapshot = WeightSnapshot.of(spec, 1, 3, 96, 1_732_243_200_000L, false, false,
                new EpochLoss(6.75, 3), new EpochAccuracy(72, 96),
                List.of(new ConsumedOffset(TopicNames.DEFAULT_MINIBATCHES, 0, 3)), architecture.layout(),
                network.parameters(), new float[0]);
        Minibatch test = batch(shape, TEST_SAMPLES, 11, Split.TEST);
        return new Case(model + " " + resolved + " " + loss + " " + shape
                + (transforms.isEmpty() ? "" : " " + spec.recipe().describeTransforms()), snapshot, test,
                network.predict(ToTensor.apply(test, spec.transforms())), Losses.get(loss).output());
    }

    /** {@code batch} as a version 2 record of {@code split} holds it: made with {@code sampling}, sample i from file index 7i + 5. */
    private static Minibatch v2(Minibatch batch, Split split, Sampling sampling) {
        int[] indexes = new int[batch.sampleCount()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = 7 * i + 5;
        }
        return new Minibatch(batch.dataset(), split, 1, 1, 0, 1, batch.datasetSize(), batch.numClasses(),
                batch.sampleShape(), batch.pixels(), batch.labels(), sampling, indexes);
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
        assertThat(out.get("trainAccuracy").asDouble()).isEqualTo(0.75);
        assertThat(out.get("split").asText()).isEqualTo("test");
        assertThat(out.get("sampling").isNull()).as("a version 1 minibatch does not say").isTrue();
        assertThat(out.get("samples").get(0).get("sampleIndex").isNull()).isTrue();
        assertThat(out.get("transforms")).hasSize(c.snapshot().spec().transforms().size());
    }

    /** The same batch as a version 2 test batch and as a version 2 validation batch: the same outputs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyModelAndLoss")
    void pythonReaderReadsVersion2TestAndValidationBatches(Case c) throws Exception {
        Path snapshotFile = write("snapshot.bin", new WeightSnapshotSerializer().serialize("t", c.snapshot()));
        Minibatch test = v2(c.batch(), Split.TEST, Sampling.IN_ORDER);
        Minibatch validation = v2(c.batch(), Split.VALIDATION, STREAM);
        byte[] validationRecord = new MinibatchSerializer().serialize("t", validation);
        assertThat(validationRecord[4]).isEqualTo((byte) 2);
        assertThat(new MinibatchDeserializer().deserialize("t", validationRecord)).isEqualTo(validation);

        Run testRun = python(SCRIPT.toString(), snapshotFile.toString(),
                write("test-v2.bin", new MinibatchSerializer().serialize("t", test)).toString());
        Run validationRun = python(SCRIPT.toString(), snapshotFile.toString(),
                write("validation-v2.bin", validationRecord).toString());

        assertThat(testRun.exit()).as("exit status; stderr: %s", testRun.stderr()).isZero();
        assertThat(validationRun.exit()).as("exit status; stderr: %s", validationRun.stderr()).isZero();
        JsonNode testOut = JSON.readTree(testRun.stdout());
        JsonNode validationOut = JSON.readTree(validationRun.stdout());
        assertMatchesEngine(c, testOut);
        assertMatchesEngine(c, validationOut);
        assertThat(testOut.get("split").asText()).isEqualTo("test");
        assertThat(testOut.get("sampling").toString())
                .isEqualTo("{\"shuffle\":false,\"dropLast\":false,\"seed\":0,\"validationSize\":0}");
        assertThat(validationOut.get("split").asText()).isEqualTo("validation");
        assertThat(validationOut.get("sampling").toString())
                .isEqualTo("{\"shuffle\":true,\"dropLast\":false,\"seed\":42,\"validationSize\":6000}");
        for (int i = 0; i < TEST_SAMPLES; i++) {
            assertThat(validationOut.get("samples").get(i).get("sampleIndex").asInt()).isEqualTo(7 * i + 5);
        }
    }

    /** Normalize((0.5,), (0.5,)) makes other outputs than no transform: the reader does apply the spec's. */
    @Test
    void pythonReaderAppliesTheSpecsNormalize() throws Exception {
        Case normalized = normalizedTutorial();
        RunSpec spec = normalized.snapshot().spec();
        RunSpec withoutTransforms = new RunSpec(spec.runId(), spec.stream(), spec.dataset(), spec.model(), spec.loss(),
                spec.optimizer(), spec.batchSize(), spec.epochs(), spec.seed(), spec.topics(), spec.environment(),
                spec.snapshotEvery(), spec.modelOptions(), spec.schedule(), spec.architecture(), spec.engine(),
                spec.loader(), List.of());
        WeightSnapshot plain = WeightSnapshot.of(withoutTransforms, 1, 3, 96, 1_732_243_200_000L, false, false,
                EpochLoss.NONE, EpochAccuracy.NONE, normalized.snapshot().offsets(), normalized.snapshot().layout(),
                normalized.snapshot().parameters(), new float[0]);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", normalized.batch()));

        Run withNormalize = python(SCRIPT.toString(), write("normalized.bin",
                new WeightSnapshotSerializer().serialize("t", normalized.snapshot())).toString(), batchFile.toString());
        Run without = python(SCRIPT.toString(), write("plain.bin",
                new WeightSnapshotSerializer().serialize("t", plain)).toString(), batchFile.toString());

        assertThat(withNormalize.exit()).as("stderr: %s", withNormalize.stderr()).isZero();
        assertThat(without.exit()).as("stderr: %s", without.stderr()).isZero();
        JsonNode out = JSON.readTree(withNormalize.stdout());
        assertMatchesEngine(normalized, out);
        assertThat(out.get("transforms").get(0).asText()).isEqualTo("Normalize(mean=[0.5], std=[0.5])");
        JsonNode plainOut = JSON.readTree(without.stdout());
        assertThat(plainOut.get("transforms")).isEmpty();
        assertThat(plainOut.get("trainAccuracy").isNull()).as("nothing counted yet").isTrue();
        assertThat(plainOut.get("samples").get(0).get("logits"))
                .isNotEqualTo(out.get("samples").get(0).get("logits"));
    }

    @Test
    void pythonReaderRejectsANormalizeThatDoesNotFitTheSamplesOrIsUnknown() throws Exception {
        Case c = trained("mlp", Map.of("hidden", List.of(8)), RunSpec.CROSS_ENTROPY, Shape.of(3, 8, 8),
                List.of(CIFAR_NORMALIZE));
        String json = RunSpecJson.write(c.snapshot().spec());
        String twoChannels = json.replace("\"mean\":[0.4914,0.4822,0.4465],\"std\":[0.247,0.2435,0.2616]",
                "\"mean\":[0.4914,0.4822],\"std\":[0.247,0.2435]");
        assertThat(twoChannels).isNotEqualTo(json);
        RunSpec twoChannelSpec = RunSpecJson.read(twoChannels);
        assertThatThrownBy(() -> ToTensor.apply(c.batch(), twoChannelSpec.transforms()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Normalize(mean=[0.4914, 0.4822], std=[0.247, 0.2435]) has 2 channels, samples of shape"
                        + " [3, 8, 8] have 3 (give one value, or one per channel)");
        String unknown = json.replace("\"name\":\"normalize\"", "\"name\":\"resize\"");
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", c.batch()));

        Run wrongChannels = python(SCRIPT.toString(), write("two.bin", withSpecJson(c.snapshot(), twoChannels))
                .toString(), batchFile.toString());
        Run unknownTransform = python(SCRIPT.toString(), write("unknown.bin", withSpecJson(c.snapshot(), unknown))
                .toString(), batchFile.toString());

        assertThat(wrongChannels.exit()).isEqualTo(1);
        assertThat(wrongChannels.stderr()).contains("Normalize(mean=[0.4914, 0.4822], std=[0.247, 0.2435]) has 2"
                + " channels, samples of shape [3, 8, 8] have 3 (give one value, or one per channel)");
        assertThat(wrongChannels.stdout()).isBlank();
        assertThat(unknownTransform.exit()).isEqualTo(1);
        assertThat(unknownTransform.stderr()).contains("resize").contains("not one this reader knows");
    }

    /** {@code snapshot}'s record with its spec replaced by {@code json} (the checksum covers only the parameters). */
    private static byte[] withSpecJson(WeightSnapshot snapshot, String json) {
        byte[] record = new WeightSnapshotSerializer().serialize("t", snapshot);
        byte[] specBytes = RunSpecJson.write(snapshot.spec()).getBytes(StandardCharsets.UTF_8);
        byte[] newBytes = json.getBytes(StandardCharsets.UTF_8);
        int specAt = 4 + 1 + 1 + 2 + snapshot.runId().getBytes(StandardCharsets.UTF_8).length + 4;
        ByteBuffer rewritten = ByteBuffer.allocate(record.length - specBytes.length + newBytes.length);
        rewritten.put(record, 0, specAt - 4).putInt(newBytes.length).put(newBytes)
                .put(record, specAt + specBytes.length, record.length - specAt - specBytes.length);
        return rewritten.array();
    }

    @Test
    void aSpecWrittenBeforeArchitecturesIsTheTutorialsNetwork() throws Exception {
        String json = RunSpecJson.write(TUTORIAL.snapshot().spec());
        String old = json.substring(0, json.indexOf(",\"modelOptions\"")) + "}";
        byte[] rewritten = withSpecJson(TUTORIAL.snapshot(), old);
        WeightSnapshot read = new WeightSnapshotDeserializer().deserialize("t", rewritten);
        assertThat(read.spec().architecture()).isEqualTo(TutorialMlp.architecture());
        assertThat(read.spec().transforms()).isEmpty();

        Run run = python(SCRIPT.toString(), write("old-spec.bin", rewritten).toString(),
                write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch())).toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        assertMatchesEngine(TUTORIAL, JSON.readTree(run.stdout()));
    }

    /** Offset of trainLossSum: after magic, version, flags, runId, spec, epoch, step, samplesSeen, createdAtMillis. */
    private static int trainLossOffset(WeightSnapshot snapshot) {
        return 4 + 1 + 1 + 2 + snapshot.runId().length() + 4
                + RunSpecJson.write(snapshot.spec()).getBytes(StandardCharsets.UTF_8).length + 4 + 8 + 8 + 8;
    }

    /** {@code record} without its bytes {@code [from, from + length)}, as version {@code version}. */
    private static byte[] without(byte[] record, int from, int length, int version) {
        byte[] out = new byte[record.length - length];
        System.arraycopy(record, 0, out, 0, from);
        System.arraycopy(record, from + length, out, from, record.length - from - length);
        out[4] = (byte) version;
        return out;
    }

    /** Version 4 adds the prequential state after trainSamples; the reader prints its metrics, null before. */
    @Test
    void pythonReaderReadsVersion4SnapshotsAndTheirPrequentialMetrics() throws Exception {
        WeightSnapshot v3 = TUTORIAL.snapshot;
        PrequentialState state = new PrequentialState(1.75, 1.25, 3.5, List.of(new PrequentialState.Batch(32, 20, 2.5),
                new PrequentialState.Batch(32, 24, 2.0)));
        WeightSnapshot v4 = new WeightSnapshot(v3.runId(), v3.spec().withPrequential(new PrequentialSpec(64, 0.99)),
                v3.epoch(), v3.step(), v3.samplesSeen(), v3.createdAtMillis(), v3.epochEnd(), v3.finalSnapshot(),
                v3.trainLoss(), v3.trainAccuracy(), v3.offsets(), v3.layout(), v3.parameters(), v3.updaterState(),
                v3.parametersSha256(), state);
        byte[] record = new WeightSnapshotSerializer().serialize("t", v4);
        assertThat(record[4]).isEqualTo((byte) 4);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch));

        Run run = python(SCRIPT.toString(), write("snapshot-v4.bin", record).toString(), batchFile.toString());
        Run old = python(SCRIPT.toString(), write("snapshot-v3.bin",
                new WeightSnapshotSerializer().serialize("t", v3)).toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertMatchesEngine(TUTORIAL, out);
        assertThat(out.get("trainAccuracy").asDouble()).isEqualTo(0.75);
        assertThat(JSON.treeToValue(out.get("prequential"), PrequentialMetrics.class))
                .isEqualTo(v4.prequentialMetrics())
                .isEqualTo(new PrequentialMetrics(64, 64, 44 / 64.0, 2.25, 0.99, 1.25 / 1.75, 2.0));
        assertThat(JSON.readTree(old.stdout()).get("prequential").isNull()).as("a version 3 snapshot has none")
                .isTrue();
    }

    /** Version 2 is version 3 without trainCorrect and trainSamples (i64 each) after trainLossBatches. */
    @Test
    void pythonReaderReadsVersion2Snapshots() throws Exception {
        byte[] v3 = new WeightSnapshotSerializer().serialize("t", TUTORIAL.snapshot);
        int trainAccuracy = trainLossOffset(TUTORIAL.snapshot) + 8 + 4;
        assertThat(ByteBuffer.wrap(v3).getLong(trainAccuracy)).isEqualTo(72);
        assertThat(ByteBuffer.wrap(v3).getLong(trainAccuracy + 8)).isEqualTo(96);
        byte[] v2 = without(v3, trainAccuracy, 16, 2);
        assertThat(new WeightSnapshotDeserializer().deserialize("t", v2).trainAccuracy())
                .isEqualTo(EpochAccuracy.UNKNOWN);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch));

        Run run = python(SCRIPT.toString(), write("snapshot-v2.bin", v2).toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertMatchesEngine(TUTORIAL, out);
        assertThat(out.get("trainLoss").asDouble()).isEqualTo(2.25);
        assertThat(out.get("trainAccuracy").isNull()).as("a version 2 snapshot has no train accuracy").isTrue();
    }

    /** Version 1 is version 2 without trainLossSum (f64) and trainLossBatches (i32) after createdAtMillis. */
    @Test
    void pythonReaderReadsVersion1Snapshots() throws Exception {
        byte[] v3 = new WeightSnapshotSerializer().serialize("t", TUTORIAL.snapshot);
        int trainLoss = trainLossOffset(TUTORIAL.snapshot);
        assertThat(ByteBuffer.wrap(v3).getDouble(trainLoss)).isEqualTo(6.75);
        byte[] v1 = without(v3, trainLoss, 12 + 16, 1);
        WeightSnapshot read = new WeightSnapshotDeserializer().deserialize("t", v1);
        assertThat(read.trainLoss()).isEqualTo(EpochLoss.UNKNOWN);
        assertThat(read.trainAccuracy()).isEqualTo(EpochAccuracy.UNKNOWN);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", TUTORIAL.batch));

        Run run = python(SCRIPT.toString(), write("snapshot-v1.bin", v1).toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertMatchesEngine(TUTORIAL, out);
        assertThat(out.get("trainLoss").isNull()).as("a version 1 snapshot has no train loss").isTrue();
        assertThat(out.get("trainAccuracy").isNull()).as("nor a train accuracy").isTrue();
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
        byte[] snapshotV4 = snapshotRecord.clone();
        snapshotV4[4] = 5;
        byte[] batchV4 = batchRecord.clone();
        batchV4[4] = 4;
        byte[] v1Validation = batchRecord.clone();
        v1Validation[5] = 2;
        byte[] v2Record = new MinibatchSerializer().serialize("t", v2(TUTORIAL.batch, Split.VALIDATION, STREAM));
        int flags = v2Record.length - TUTORIAL.batch.pixels().length - TUTORIAL.batch.labels().length
                - 4 * TEST_SAMPLES - 4 - 8 - 1;
        byte[] unknownFlag = v2Record.clone();
        unknownFlag[flags] = 0x04;
        byte[] negativeValidation = v2Record.clone();
        ByteBuffer.wrap(negativeValidation).putInt(flags + 1 + 8, -1);
        byte[] truncatedIndexes = Arrays.copyOf(v2Record, flags + 1 + 8 + 4 + 6);

        Run newerSnapshot = python(SCRIPT.toString(), write("snapshot-v4.bin", snapshotV4).toString(),
                goodBatch.toString());
        Run newerBatch = python(SCRIPT.toString(), goodSnapshot.toString(),
                write("minibatch-v4.bin", batchV4).toString());
        Run validationInV1 = python(SCRIPT.toString(), goodSnapshot.toString(),
                write("v1-validation.bin", v1Validation).toString());
        Run flagBit2 = python(SCRIPT.toString(), goodSnapshot.toString(), write("flag.bin", unknownFlag).toString());
        Run negative = python(SCRIPT.toString(), goodSnapshot.toString(),
                write("negative.bin", negativeValidation).toString());
        Run truncated = python(SCRIPT.toString(), goodSnapshot.toString(),
                write("truncated.bin", truncatedIndexes).toString());
        Run swapped = python(SCRIPT.toString(), goodBatch.toString(), goodSnapshot.toString());
        byte[] trailing = new byte[snapshotRecord.length + 1];
        System.arraycopy(snapshotRecord, 0, trailing, 0, snapshotRecord.length);
        Run withTrailingByte = python(SCRIPT.toString(), write("trailing.bin", trailing).toString(),
                goodBatch.toString());

        assertThat(newerSnapshot.exit()).isNotZero();
        assertThat(newerSnapshot.stderr()).contains("weight snapshot record")
                .contains("unsupported version 5, this reader understands version 1, 2, 3 or 4");
        assertThat(newerBatch.exit()).isNotZero();
        assertThat(newerBatch.stderr()).contains("minibatch record")
                .contains("unsupported version 4, this reader understands version 1, 2 or 3");
        assertThat(validationInV1.exit()).isNotZero();
        assertThat(validationInV1.stderr()).contains("field 'split' must be 0 (train) or 1 (test) in version 1, got 2");
        assertThat(flagBit2.exit()).isNotZero();
        assertThat(flagBit2.stderr()).contains("field 'flags' has unknown bits set: 0x4");
        assertThat(negative.exit()).isNotZero();
        assertThat(negative.stderr()).contains("field 'validationSize' must be >= 0, got -1");
        assertThat(truncated.exit()).isNotZero();
        assertThat(truncated.stderr()).contains("truncated at field 'sampleIndexes'");
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
