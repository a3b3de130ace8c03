package dev.streamtrain.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.TestMetricsSerializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.model.optim.Sgd;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The examples in docs/wire-format.md are what the code writes and reads: every hex string, JSON document and
 * computed number, and the Python code of sections 2 and 3.4 computes what the JDK and the Kafka client compute.
 */
class WireFormatDocTest {

    /** Surefire runs tests in the module directory. */
    private static final Path DOC = Path.of("..", "docs", "wire-format.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String doc;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheDoc() throws IOException {
        doc = Files.readString(DOC);
    }

    // ---- section 4.3: the run spec

    @Test
    void theRunSpecExampleIsWhatTheWriterWrites() {
        String current = after("On the wire \\((\\d+) bytes\\):\n`([^`]+)`", 2);
        assertThat(current).isEqualTo(RunSpecJson.write(RunSpecFixture.sampledSpec()));
        assertThat(after("On the wire \\((\\d+) bytes\\):", 1))
                .isEqualTo(String.valueOf(current.getBytes(StandardCharsets.UTF_8).length));
        assertThat(RunSpecJson.read(current)).isEqualTo(RunSpecFixture.sampledSpec());
        String tail = after("Normalize\\(\\(0\\.5,\\), \\(0\\.5,\\)\\)`\nafter ToTensor ends instead with:\n`([^`]+)`", 1);
        assertThat(RunSpecJson.write(RunSpecFixture.normalizedSpec())).endsWith("," + tail);
    }

    @Test
    void olderFormsOfTheRunSpecStillRead() {
        String v03 = after("The same spec as streamtrain 0\\.3 wrote it \\(964 bytes\\).*?"
                + "`\"loader\":null,\"transforms\":\\[\\]` and the default\n`\"prequential\":[^`]+` at its end:\n`([^`]+)`", 1);
        String v02 = after("The same spec as streamtrain 0\\.2 wrote it \\(560 bytes[^`]*`([^`]+)`", 1);
        String v01 = after("The same spec as streamtrain 0\\.1 wrote it[^`]*`topics\\.runs`[^`]*`snapshotEvery`"
                + " \\(516 bytes\\),\nreads as the 0\\.3 form too:\n`([^`]+)`", 1);
        assertThat(v03.getBytes(StandardCharsets.UTF_8)).hasSize(964);
        assertThat(v02.getBytes(StandardCharsets.UTF_8)).hasSize(560);
        assertThat(v01.getBytes(StandardCharsets.UTF_8)).hasSize(516);
        RunSpec expected = RunSpecFixture.with(RunSpecFixture.sampledSpec(), null, List.of());
        assertThat(RunSpecJson.read(v03)).isEqualTo(expected).isEqualTo(RunSpecFixture.spec());
        assertThat(RunSpecJson.read(v02)).isEqualTo(expected);
        assertThat(RunSpecJson.read(v01)).isEqualTo(expected);
        assertThat(RunSpecJson.write(RunSpecJson.read(v03)))
                .isEqualTo(v03.substring(0, v03.length() - 1) + ",\"loader\":null,\"transforms\":[],"
                        + "\"prequential\":{\"window\":1000,\"fadingFactor\":0.999}}");
    }

    // ---- section 3: minibatch records

    @Test
    void theVersion2MinibatchExampleIsBatch1OfEpoch1OfTheToyStream() {
        byte[] record = hex("As one hex string \\(version 2\\):\n`([0-9a-f]+)`");
        assertThat(record).hasSize(91);
        Minibatch batch = new MinibatchDeserializer().deserialize("t", record);
        Sampling sampling = new Sampling(true, false, 42, 3);
        int[] train = Arrays.copyOfRange(permutation(42, 0, 10), 0, 7);
        int[] positions = permutation(42, 1, 7);
        int[] indexes = new int[3];
        byte[] pixels = new byte[12];
        byte[] labels = new byte[3];
        for (int i = 0; i < 3; i++) {
            int k = train[positions[4 + i]];
            indexes[i] = k;
            for (int p = 0; p < 4; p++) {
                pixels[4 * i + p] = (byte) (16 * k + p);
            }
            labels[i] = (byte) (7 * k % 10);
        }
        Minibatch expected = new Minibatch("toy", Split.TRAIN, 1, 2, 1, 2, 7, 10, new int[] {1, 2, 2}, pixels, labels,
                sampling, indexes);
        assertThat(batch).isEqualTo(expected);
        assertThat(batch.sampleIndexes()).containsExactly(0, 4, 1);
        assertThat(new MinibatchSerializer().serialize("t", expected)).isEqualTo(record);
    }

    @Test
    void theVersion1MinibatchExampleStillDecodesAndRoundTripsByteForByte() {
        byte[] record = hex("As one hex string \\(version 1\\):\n`([0-9a-f]+)`");
        assertThat(record).hasSize(63);
        Minibatch batch = new MinibatchDeserializer().deserialize("t", record);
        assertThat(batch).isEqualTo(new Minibatch("mnist", Split.TEST, 1, 1, 3, 5, 10, 10, new int[] {1, 2, 2},
                new byte[] {0, (byte) 0xff, 0x33, 0x01, 0x10, 0x20, 0x40, (byte) 0x80}, new byte[] {7, 2}));
        assertThat(batch.hasSampling()).isFalse();
        assertThat(new MinibatchSerializer().serialize("t", batch)).isEqualTo(record);
    }

    @Test
    void theDocumentedMinibatchSizesAreWhatTheWriterWrites() {
        byte[] pixels = new byte[64 * 784];
        Minibatch v1 = new Minibatch("fashion-mnist", Split.TRAIN, 1, 1, 0, 1, 60000, 10, new int[] {1, 28, 28},
                pixels, new byte[64]);
        Minibatch v2 = new Minibatch("fashion-mnist", Split.TRAIN, 1, 1, 0, 1, 60000, 10, new int[] {1, 28, 28},
                pixels, new byte[64], new Sampling(true, false, 42, 0), new int[64]);
        assertThat(new MinibatchSerializer().serialize("t", v1)).hasSize(50_301);
        assertThat(new MinibatchSerializer().serialize("t", v2)).hasSize(50_570);
        assertThat(doc).contains("(50,570 for 64 Fashion-MNIST images)").contains("(50,301 for 64 Fashion-MNIST"
                + " images)");
    }

    // ---- section 3.4: how a stream is made

    @Test
    void theStreamExampleIsWhatTheJdksSplittableRandomMakes() {
        int[] split = permutation(42, 0, 10);
        int[] train = Arrays.copyOfRange(split, 0, 7);
        int[] validation = Arrays.copyOfRange(split, 7, 10);
        assertThat(doc).contains("| split permutation `P` | `permutation(42, 0, 10)` | `" + list(split) + "` |")
                .contains("| training subset `T` (`nTrain` = 7) | `P[0 … 7)` | `" + list(train) + "` |")
                .contains("| validation split `V` | `P[7 … 10)` | `" + list(validation) + "` |");
        for (int epoch = 1; epoch <= 2; epoch++) {
            int[] positions = permutation(42, epoch, 7);
            int[] order = new int[7];
            for (int i = 0; i < 7; i++) {
                order[i] = train[positions[i]];
            }
            assertThat(doc).contains("| epoch " + epoch + " positions | `permutation(42, " + epoch + ", 7)` | `"
                    + list(positions) + "` |").contains("| epoch " + epoch + " file indexes, batches of 4 | "
                    + "`T[positions[i]]` | `" + list(Arrays.copyOfRange(order, 0, 4)) + "`, `"
                    + list(Arrays.copyOfRange(order, 4, 7)) + "` |");
        }
        assertThat(doc).contains("`<stream>/validation/0`: `" + list(Arrays.copyOfRange(validation, 0, 2))
                + "`; `/1`: `" + list(Arrays.copyOfRange(validation, 2, 3)) + "`");
        assertThat(doc).contains("`permutation(42, 1, 10)` = `" + list(permutation(42, 1, 10)) + "`")
                .contains("`permutation(42, 1, 10)` returns\n`" + list(permutation(42, 1, 10)) + "`");
    }

    /** The draws of the trace table, computed as the doc's pseudo-code says, are the JDK's. */
    @Test
    void theDrawTraceFollowsTheDocumentedAlgorithm() {
        long state = 42L * 1_000_003L + 1;
        assertThat(doc).contains("42 · 1000003 + 1 = " + state + " = `0x" + String.format("%016x", state) + "`");
        SplittableRandom jdk = new SplittableRandom(42L * 1_000_003L + 1);
        for (int i = 9; i >= 1; i--) {
            int bound = i + 1;
            state += 0x9e3779b97f4a7c15L;
            int r = mix32(state);
            int m = bound - 1;
            String u;
            int j;
            if ((bound & m) == 0) {
                j = r & m;
                u = "(power of two)";
            } else {
                int v = r >>> 1;
                j = v % bound;
                assertThat(v + m - j).as("no rejection in the example").isGreaterThanOrEqualTo(0);
                u = String.valueOf(v);
            }
            assertThat(jdk.nextInt(bound)).isEqualTo(j);
            assertThat(doc).contains(String.format("| %d | `0x%016x` | `0x%08x` | %s | %d |", i, state, r, u, j));
        }
    }

    @Test
    void thePythonStreamCodeMakesWhatJavaMakes() throws Exception {
        assumeTrue(hasPython(), "python3 is not installed");
        String code = codeBlock("# stream.py: ");
        long[] seeds = {42, -7, 0, Long.MAX_VALUE, Long.MIN_VALUE, 123_456_789_012L};
        int[] sizes = {1, 2, 3, 10, 1000};
        StringBuilder driver = new StringBuilder("\nimport json\nout = []\n");
        List<String> expected = new ArrayList<>();
        for (long seed : seeds) {
            for (int epoch : new int[] {0, 1, 7}) {
                for (int n : sizes) {
                    driver.append("out.append(permutation(").append(seed).append(", ").append(epoch).append(", ")
                            .append(n).append("))\n");
                    expected.add(list(permutation(seed, epoch, n)).replace(" ", ""));
                }
            }
        }
        // bounds that take the rejection branch often (1.5e9, 2^31 - 1), powers of two, and small ones
        int[] bounds = {1, 2, 3, 10, 1 << 30, 1_500_000_000, Integer.MAX_VALUE};
        for (long seed : seeds) {
            for (int bound : bounds) {
                driver.append("r = SplittableRandom(").append(seed).append(")\nout.append([r.next_int(").append(bound)
                        .append(") for _ in range(50)])\n");
                SplittableRandom jdk = new SplittableRandom(seed);
                int[] draws = new int[50];
                for (int i = 0; i < draws.length; i++) {
                    draws[i] = jdk.nextInt(bound);
                }
                expected.add(list(draws).replace(" ", ""));
            }
        }
        driver.append("t, v = split(10, 42, 3)\nout.append(t)\nout.append(v)\n")
                .append("out.append(batches(epoch_order(t, 42, True, 1), 4))\n")
                .append("out.append(batches(epoch_order(t, 42, True, 2), 4, drop_last=True))\n")
                .append("out.append(batches(epoch_order(t, 42, False, 1), 4))\n")
                .append("out.append(batches(v, 2))\n")
                .append("out.append(split(10, 42, 0)[0])\n")
                .append("for x in out:\n    print(json.dumps(x, separators=(',', ':')))\n");
        expected.addAll(List.of("[7,4,0,9,1,2,6]", "[8,3,5]", "[[9,7,6,2],[0,4,1]]", "[[1,9,0,2]]",
                "[[7,4,0,9],[1,2,6]]", "[[8,3],[5]]", "[0,1,2,3,4,5,6,7,8,9]"));

        List<String> printed = python(code + driver);

        assertThat(printed).containsExactlyElementsOf(expected);
    }

    // ---- section 2 and 8.1: partitions

    @Test
    void theDocumentedPartitionsAreTheKafkaClients() {
        for (String key : List.of("run-1", "stream-1", "python-mlp", "fashion-mnist/0")) {
            int hash = Utils.murmur2(key.getBytes(StandardCharsets.UTF_8));
            assertThat(doc).contains("| `" + key + "` | " + hash + " | " + Utils.toPositive(hash) % 4 + " |");
        }
        assertThat(Utils.toPositive(Utils.murmur2("run-1".getBytes(StandardCharsets.UTF_8))) % 4).isEqualTo(1);
        assertThat(doc).contains("`partition_for(\"run-1\", 4)` is 1");
    }

    @Test
    void thePythonMurmur2IsKafkasMurmur2() throws Exception {
        assumeTrue(hasPython(), "python3 is not installed");
        String code = codeBlock("# kafka_partition.py: ");
        List<String> keys = new ArrayList<>(List.of("run-1", "stream-1", "stream-1/validation/0", "fashion-mnist/0",
                "fäshion-мнист-数据-😀", "r".repeat(128)));
        for (int length = 0; length < 9; length++) {
            keys.add("abcdefghi".substring(0, length));
        }
        StringBuilder driver = new StringBuilder("\nfor key in [");
        List<String> expected = new ArrayList<>();
        for (String key : keys) {
            driver.append(JSON.writeValueAsString(key)).append(", ");
            int hash = Utils.murmur2(key.getBytes(StandardCharsets.UTF_8));
            expected.add(Integer.toUnsignedString(hash) + " " + Utils.toPositive(hash) % 4 + " "
                    + Utils.toPositive(hash) % 7);
        }
        driver.append("]:\n    print(murmur2(key.encode('utf-8')), partition_for(key, 4), partition_for(key, 7))\n");

        assertThat(python(code + driver)).containsExactlyElementsOf(expected);
    }

    // ---- section 4.4: the snapshot record

    @Test
    void theVersion3SnapshotExampleDecodes() {
        byte[] v3 = hex("As one hex string \\(version 3, the 778 bytes, spec included\\):\n`([0-9a-f]+)`");
        assertThat(v3).hasSize(778);
        assertThat(v3[4]).isEqualTo((byte) 3);
        WeightSnapshot snapshot = new WeightSnapshotDeserializer().deserialize("t", v3);
        assertThat(snapshot.parametersSha256())
                .isEqualTo("d64ba4150c4fb4a5c8095e7fea6c838fb95f93ef675d81c042809c9003910f99");
        assertThat(snapshot.spec().optimizer()).isEqualTo(Sgd.of(0.001));
        assertThat(snapshot.trainLoss()).isEqualTo(new EpochLoss(2110.5, 938));
        assertThat(snapshot.trainLoss().mean()).isEqualTo(2.25);
        assertThat(snapshot.trainAccuracy()).isEqualTo(new EpochAccuracy(45_000, 60_000));
        assertThat(snapshot.trainAccuracy().mean()).isEqualTo(0.75);
        assertThat(snapshot.step()).isEqualTo(938);
        assertThat(snapshot.epochEnd()).isTrue();
        assertThat(snapshot.parameters()).containsExactly(1f, -1f, 0.5f, 0f, 2f, -0.25f, 0.1f, 0.2f, 0.3f);
    }

    @Test
    void theVersion2AndVersion1FormsAreTheVersion3FormWithoutTheirFields() {
        byte[] v3 = hex("As one hex string \\(version 3, the 778 bytes, spec included\\):\n`([0-9a-f]+)`");
        byte[] v2 = hex("snapshot as streamtrain 0\\.2 and 0\\.3 wrote it[^`]*`02`[^`]*`trainCorrect`[^`]*`trainSamples`"
                + "[^`]*`offsetCount`[^`]*`parameters`[^`]*`sha256`[^`]*\nwith an unknown train accuracy\\. As one hex"
                + " string \\(version 2\\):\n`([0-9a-f]+)`");
        assertThat(v2).hasSize(762).isEqualTo(withVersion(cut(v3, 617, 633), 2));
        byte[] v1 = withVersion(cut(v2, 605, 617), 1);
        assertThat(v1).hasSize(750);
        WeightSnapshotDeserializer reader = new WeightSnapshotDeserializer();
        WeightSnapshot three = reader.deserialize("t", v3);
        WeightSnapshot two = reader.deserialize("t", v2);
        WeightSnapshot one = reader.deserialize("t", v1);
        assertThat(two.trainAccuracy()).isEqualTo(EpochAccuracy.UNKNOWN);
        assertThat(two.trainLoss()).isEqualTo(three.trainLoss());
        assertThat(one.trainLoss()).isEqualTo(EpochLoss.UNKNOWN);
        assertThat(one.trainAccuracy()).isEqualTo(EpochAccuracy.UNKNOWN);
        assertThat(two).usingRecursiveComparison().ignoringFields("trainAccuracy").isEqualTo(three);
        assertThat(one).usingRecursiveComparison().ignoringFields("trainLoss", "trainAccuracy").isEqualTo(three);
        assertThat(v3).hasSize(120 + 5 + 560 + (14 + 23) + (3 + 1 + 8) + (3 + 1 + 4) + 4 * 9);
    }

    // ---- section 5: the metrics record

    @Test
    void theMetricsExampleIsWhatTheWriterWrites() throws Exception {
        String example = after("both sets evaluated in batches of\n64 \\(wrapped here; written on one line without"
                + " spaces\\):\n\n```json\n(.+?)\n```", 1);
        TestMetrics metrics = new TestMetricsDeserializer().deserialize("t", example.getBytes(StandardCharsets.UTF_8));
        JsonNode written = JSON.readTree(new TestMetricsSerializer().serialize("t", metrics));
        assertThat(written).isEqualTo(JSON.readTree(example));
        assertThat(metrics.trainAccuracy()).isEqualTo(38_688 / 54_000.0);
        assertThat(metrics.step()).isEqualTo(5 * 844);
        assertThat(metrics.samplesSeen()).isEqualTo(5 * 54_000);
        for (EvaluationResult set : List.of(metrics.test(), metrics.validation())) {
            long[][] confusion = set.confusion();
            long correct = 0;
            for (int c = 0; c < confusion.length; c++) {
                correct += confusion[c][c];
            }
            assertThat(set.accuracy()).as(set.split()).isEqualTo((double) correct / set.samples());
            assertThat(set.batches()).as(set.split()).isEqualTo((set.samples() + set.batchSize() - 1) / set.batchSize());
        }
        assertThat(metrics.test().accuracy()).isEqualTo(metrics.accuracy());
        assertThat(metrics.test().avgLoss()).isEqualTo(metrics.avgLoss());
        assertThat(metrics.test().samples()).isEqualTo(metrics.testSamples());
        assertThat(metrics.validation().key()).isEqualTo("stream-1/validation/");
    }

    // ---- helpers

    /** {@code java.util.SplittableRandom}'s mix32, as section 3.4 writes it. */
    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** permutation(seed, epoch, n) of section 3.4, with the JDK's generator. */
    private static int[] permutation(long seed, int epoch, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static String list(int[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static byte[] cut(byte[] record, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(record, 0, from);
        out.write(record, to, record.length - to);
        return out.toByteArray();
    }

    private static byte[] withVersion(byte[] record, int version) {
        byte[] copy = record.clone();
        copy[4] = (byte) version;
        return copy;
    }

    private static byte[] hex(String regex) {
        return HexFormat.of().parseHex(after(regex, 1));
    }

    private static String after(String regex, int group) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("docs/wire-format.md has %s", regex).isTrue();
        return m.group(group);
    }

    /** The Python code block whose first line starts with {@code firstLine}. */
    private static String codeBlock(String firstLine) {
        return after("```python\n(" + Pattern.quote(firstLine) + ".*?)```", 1);
    }

    private List<String> python(String code) throws IOException, InterruptedException {
        Path script = Files.writeString(dir.resolve("doc.py"), code);
        Path out = dir.resolve("python.out");
        Path err = dir.resolve("python.err");
        Process process = new ProcessBuilder("python3", script.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python3 did not finish in 120 s");
        }
        assertThat(process.exitValue()).as("python3 exit status; stderr: %s", Files.readString(err)).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static boolean hasPython() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "pass").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
