package dev.streamtrain.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.ConsumedOffset;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import org.apache.kafka.common.errors.SerializationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves that docs/wire-format.md is enough to use a snapshot outside the JVM: the Python reader in
 * docs/examples/snapshot_predict.py, written from the document alone (standard library + numpy),
 * decodes records written by the real serializers and predicts exactly what DL4J predicts.
 */
class SnapshotPythonReaderTest {

    /** Surefire runs tests in the module directory, /work/main/model. */
    private static final Path SCRIPT = Path.of("..", "docs", "examples", "snapshot_predict.py")
            .toAbsolutePath().normalize();
    private static final TutorialMlp MODEL = new TutorialMlp();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEST_SAMPLES = 16;
    private static final int CLASSES = 10;
    private static final double TOLERANCE = 1e-5;

    private static MultiLayerNetwork network;
    private static WeightSnapshot snapshot;
    private static Minibatch testBatch;
    private static float[] dl4jProbabilities;
    private static int[] dl4jPredictions;

    private static boolean pythonWithNumpy;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainAndSnapshot() {
        pythonWithNumpy = pythonHasNumpy();
        assertThat(SCRIPT).as("the documented example reader").isRegularFile();
        MathThreads.apply(1);
        network = MODEL.create(OptimizerSpec.sgd(1e-3), 42);
        float[] initial = ParameterLayout.read(network, MODEL.layout());
        Minibatch train = TutorialMlpTest.randomBatch(64, 7);
        int steps = 3;
        for (int i = 0; i < steps; i++) {
            network.fit(MinibatchTensors.toDataSet(train));
        }
        float[] parameters = ParameterLayout.read(network, MODEL.layout());
        assertThat(parameters).as("training changed the parameters").isNotEqualTo(initial);

        RunSpec spec = new RunSpec("python-reader-run", "stream-1", "fashion-mnist", TutorialMlp.NAME,
                RunSpec.CROSS_ENTROPY, OptimizerSpec.sgd(1e-3), 64, 1, 42L, TopicNames.DEFAULT,
                EnvironmentProbe.current(1));
        snapshot = WeightSnapshot.of(spec, 1, steps, (long) steps * train.sampleCount(), 1_732_243_200_000L,
                false, false, new EpochLoss(6.75, steps),
                List.of(new ConsumedOffset(TopicNames.DEFAULT_MINIBATCHES, 0, steps)),
                MODEL.layout(), parameters, new float[0]);

        Minibatch random = TutorialMlpTest.randomBatch(TEST_SAMPLES, 11);
        testBatch = new Minibatch("fashion-mnist", Split.TEST, 1, 1, 7, 625, 10_000, CLASSES,
                new int[] {1, 28, 28}, random.pixels(), random.labels());

        dl4jProbabilities = network.output(MinibatchTensors.features(testBatch), false).dup('c').data().asFloat();
        dl4jPredictions = new int[TEST_SAMPLES];
        for (int i = 0; i < TEST_SAMPLES; i++) {
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                if (dl4jProbabilities[i * CLASSES + c] > dl4jProbabilities[i * CLASSES + best]) {
                    best = c;
                }
            }
            dl4jPredictions[i] = best;
        }
    }

    /** Skips each test, visibly, only where python3 cannot import numpy. */
    @BeforeEach
    void requirePythonWithNumpy() {
        assumeTrue(pythonWithNumpy, "python3 cannot import numpy (CI installs python3-numpy)");
    }

    @Test
    void pythonReaderPredictsWhatDl4jPredicts() throws Exception {
        Path snapshotFile = write("snapshot.bin", new WeightSnapshotSerializer().serialize("t", snapshot));
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", testBatch));

        Run run = python(SCRIPT.toString(), snapshotFile.toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertMatchesDl4j(out);
        assertThat(out.get("trainLoss").asDouble()).isEqualTo(2.25);
    }

    /** Version 1 is version 2 without trainLossSum (f64) and trainLossBatches (i32) after createdAtMillis. */
    @Test
    void pythonReaderReadsVersion1Snapshots() throws Exception {
        byte[] v2 = new WeightSnapshotSerializer().serialize("t", snapshot);
        int trainLoss = 4 + 1 + 1 + 2 + snapshot.runId().length() + 4
                + RunSpecJson.write(snapshot.spec()).getBytes(StandardCharsets.UTF_8).length + 4 + 8 + 8 + 8;
        assertThat(ByteBuffer.wrap(v2).getDouble(trainLoss)).isEqualTo(6.75);
        byte[] v1 = new byte[v2.length - 12];
        System.arraycopy(v2, 0, v1, 0, trainLoss);
        System.arraycopy(v2, trainLoss + 12, v1, trainLoss, v2.length - trainLoss - 12);
        v1[4] = 1;
        assertThat(new WeightSnapshotDeserializer().deserialize("t", v1).trainLoss()).isEqualTo(EpochLoss.UNKNOWN);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", testBatch));

        Run run = python(SCRIPT.toString(), write("snapshot-v1.bin", v1).toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertMatchesDl4j(out);
        assertThat(out.get("trainLoss").isNull()).as("a version 1 snapshot has no train loss").isTrue();
    }

    @Test
    void pythonReaderSkipsAnUpdaterStateItDoesNotUse() throws Exception {
        // Plain SGD writes no updater state; a reader must still skip one by its count.
        WeightSnapshot withUpdater = WeightSnapshot.of(snapshot.spec(), snapshot.epoch(), snapshot.step(),
                snapshot.samplesSeen(), snapshot.createdAtMillis(), true, true, EpochLoss.NONE, snapshot.offsets(),
                snapshot.layout(), snapshot.parameters(), new float[] {0.5f, -1f, 3e-7f, Float.NaN, 7f});
        Path snapshotFile = write("snapshot.bin", new WeightSnapshotSerializer().serialize("t", withUpdater));
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", testBatch));

        Run run = python(SCRIPT.toString(), snapshotFile.toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status; stderr: %s", run.stderr()).isZero();
        assertMatchesDl4j(JSON.readTree(run.stdout()));
    }

    @Test
    void pythonReaderRejectsACorruptedParameterByte() throws Exception {
        byte[] record = new WeightSnapshotSerializer().serialize("t", snapshot);
        // The record ends: parameters | updaterCount i64 | updaterState (empty here) | sha256 (32 bytes).
        int parametersEnd = record.length - 32 - 8;
        byte[] corrupt = record.clone();
        corrupt[parametersEnd - 4 * 1000 - 2] ^= 0x10;
        assertThatThrownBy(() -> new WeightSnapshotDeserializer().deserialize("t", corrupt))
                .as("the flipped byte lies in the checksummed parameters")
                .isInstanceOf(SerializationException.class).hasMessageContaining("checksum mismatch");
        Path snapshotFile = write("corrupt.bin", corrupt);
        Path batchFile = write("minibatch.bin", new MinibatchSerializer().serialize("t", testBatch));

        Run run = python(SCRIPT.toString(), snapshotFile.toString(), batchFile.toString());

        assertThat(run.exit()).as("exit status of a corrupt snapshot").isNotZero();
        assertThat(run.stderr()).contains("checksum mismatch").contains(snapshot.parametersSha256());
        assertThat(run.stdout()).isBlank();
    }

    @Test
    void pythonReaderRejectsUnknownVersionsAndForeignRecords() throws Exception {
        byte[] snapshotRecord = new WeightSnapshotSerializer().serialize("t", snapshot);
        byte[] batchRecord = new MinibatchSerializer().serialize("t", testBatch);
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

    private static void assertMatchesDl4j(JsonNode out) {
        assertThat(out.get("runId").asText()).isEqualTo(snapshot.runId());
        assertThat(out.get("sha256").asText()).isEqualTo(snapshot.parametersSha256());
        assertThat(out.get("model").asText()).isEqualTo(TutorialMlp.NAME);
        JsonNode samples = out.get("samples");
        assertThat(samples).hasSize(TEST_SAMPLES);
        int[] predicted = new int[TEST_SAMPLES];
        for (int i = 0; i < TEST_SAMPLES; i++) {
            JsonNode sample = samples.get(i);
            assertThat(sample.get("label").asInt()).isEqualTo(testBatch.label(i));
            predicted[i] = sample.get("predicted").asInt();
            JsonNode probabilities = sample.get("probabilities");
            assertThat(probabilities).hasSize(CLASSES);
            for (int c = 0; c < CLASSES; c++) {
                assertThat(probabilities.get(c).asDouble())
                        .as("probability of class %d for sample %d", c, i)
                        .isCloseTo(dl4jProbabilities[i * CLASSES + c], within(TOLERANCE));
            }
        }
        assertThat(predicted).as("predicted classes").containsExactly(dl4jPredictions);
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
