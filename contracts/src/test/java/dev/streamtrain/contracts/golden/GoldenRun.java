package dev.streamtrain.contracts.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.RunRecordDeserializer;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * A run as an earlier streamtrain wrote it to Kafka, record by record, kept in
 * {@code src/test/resources/golden/<name>/} to prove that what was written then still reads,
 * evaluates and replays now. {@code records.jsonl} lists every record of every topic of the run
 * (topic, partition, offset, key, value, the SHA-256 of the value); small values are inline
 * (base64), the snapshot values of a {@code tutorial-mlp} run are in files of their own.
 *
 * <p>Snapshot files are gzipped, and to keep them small their parameter block is stored XOR-ed
 * with {@link #referenceParameters(long)}, the {@code tutorial-mlp} initialisation the run started
 * from, so that only the bits training changed remain. {@link #records()} undoes that and checks
 * every value against its recorded SHA-256, so the bytes it returns are exactly those written.
 * The writer is {@code GoldenRunWriter} in the launcher's tests. Each golden directory has a
 * README saying what it holds; {@link #all()} lists them.
 */
public final class GoldenRun {

    /** The run written by commit 89bed04 (snapshot v2, spec with plain SGD), before the engine seam. */
    public static final String PRE_ENGINE_SEAM = "run-2026-11-30";
    /** The run id of {@link #PRE_ENGINE_SEAM} (each golden's is {@link #runId()}). */
    public static final String RUN_ID = "golden";
    /**
     * The run written by streamtrain 0.4 (minibatch v2, snapshot v3, spec with {@code loader} and
     * {@code transforms}, metrics with train accuracy and test and validation results): a validation
     * split, shuffle, drop_last, Normalize, Adam, mid-epoch and final snapshots.
     */
    public static final String STREAMTRAIN_0_4 = "run-2026-12-01";
    /**
     * The run written with snapshot version 4 (the test-then-train state) and the spec's and metrics'
     * {@code prequential} members: the run of {@link #STREAMTRAIN_0_4} with a window of 20 samples and a
     * fading factor of 0.9.
     */
    public static final String STREAMTRAIN_0_6 = "run-2026-12-02";

    /**
     * The evaluator's best-snapshot changelog under the default application id (the evaluator's
     * {@code EvaluatorTopology.bestSnapshotChangelog}); kept from {@link #STREAMTRAIN_0_4} on.
     */
    public static final String BEST_SNAPSHOT_CHANGELOG = "streamtrain-evaluator-best-snapshot-per-run-changelog";

    /** {@code tutorial-mlp}'s tensor shapes, in layout order, as (fan_in, size). */
    private static final int[][] TUTORIAL_MLP = {
            {784, 784 * 512}, {784, 512}, {512, 512 * 512}, {512, 512}, {512, 512 * 10}, {512, 10}};

    private final String name;

    private GoldenRun(String name) {
        this.name = name;
    }

    public static GoldenRun named(String name) {
        return new GoldenRun(name);
    }

    /** Every golden run, oldest first. */
    public static List<GoldenRun> all() {
        return List.of(named(PRE_ENGINE_SEAM), named(STREAMTRAIN_0_4), named(STREAMTRAIN_0_6));
    }

    /** The directory name under {@code golden/}, e.g. {@code run-2026-11-30}. */
    public String name() {
        return name;
    }

    /** The id of the run, the key of its records on the runs topic. */
    public String runId() {
        return records(TopicNames.DEFAULT_RUNS).get(0).key();
    }

    @Override
    public String toString() {
        return name;
    }

    /** One record of the run: where it was, its key and its exact value bytes. */
    public record Record(String topic, int partition, long offset, String key, byte[] value) {
    }

    /** Every record, in the order they were read (topic by topic, partition by partition, by offset). */
    public List<Record> records() {
        List<Record> records = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : new String(resource("records.jsonl"), StandardCharsets.UTF_8)
                .split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode r = json.readTree(line);
                byte[] value = r.has("value") ? Base64.getDecoder().decode(r.get("value").asText())
                        : unXor(gunzip(resource(r.get("valueFile").asText())), r.get("parametersFrom").asInt(),
                        r.get("parameterCount").asInt(), r.get("referenceSeed").asLong());
                String sha = sha256(value);
                if (!sha.equals(r.get("sha256").asText())) {
                    throw new IllegalStateException("golden record " + line + " rebuilt with SHA-256 " + sha);
                }
                records.add(new Record(r.get("topic").asText(), r.get("partition").asInt(), r.get("offset").asLong(),
                        r.get("key").isNull() ? null : r.get("key").asText(), value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return records;
    }

    /** The records of one topic. */
    public List<Record> records(String topic) {
        return records().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** The minibatch records of {@code topic} (the minibatch or the test-set topic), decoded, in offset order. */
    public List<Minibatch> minibatches(String topic) {
        return records(topic).stream().map(r -> new MinibatchDeserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    /** The test-set topic's batches whose key starts with {@code prefix} ({@code <dataset>/}, {@code <stream>/validation/}). */
    public List<Minibatch> evaluationBatches(String prefix) {
        return records(TopicNames.DEFAULT_TEST_SET).stream().filter(r -> r.key().startsWith(prefix)
                        && r.key().substring(prefix.length()).matches("\\d+"))
                .map(r -> new MinibatchDeserializer().deserialize(r.topic(), r.value())).toList();
    }

    /** The snapshots, decoded, in offset order. */
    public List<WeightSnapshot> snapshots() {
        return records(TopicNames.DEFAULT_SNAPSHOTS).stream()
                .map(r -> new WeightSnapshotDeserializer().deserialize(r.topic(), r.value())).toList();
    }

    /** The metrics records of {@code topic} (the metrics topic or {@link #BEST_SNAPSHOT_CHANGELOG}), decoded. */
    public List<TestMetrics> metrics(String topic) {
        return records(topic).stream().map(r -> new TestMetricsDeserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    /** The run records, decoded, in offset order. */
    public List<RunRecord> runRecords() {
        return records(TopicNames.DEFAULT_RUNS).stream()
                .map(r -> new RunRecordDeserializer().deserialize(r.topic(), r.value())).toList();
    }

    /** The {@code tutorial-mlp} parameters for {@code seed} as commit 89bed04 initialised them. */
    public static float[] referenceParameters(long seed) {
        int total = 0;
        for (int[] t : TUTORIAL_MLP) {
            total += t[1];
        }
        float[] values = new float[total];
        SplittableRandom random = new SplittableRandom(seed);
        int at = 0;
        for (int[] t : TUTORIAL_MLP) {
            double bound = 1.0 / Math.sqrt(t[0]);
            for (int i = 0; i < t[1]; i++) {
                values[at++] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
        }
        return values;
    }

    /** XORs the {@code count} little-endian floats at {@code from} with the reference ones (its own inverse). */
    public static byte[] unXor(byte[] value, int from, int count, long seed) {
        byte[] out = value.clone();
        float[] reference = referenceParameters(seed);
        if (reference.length != count) {
            throw new IllegalArgumentException("reference has " + reference.length + " parameters, record " + count);
        }
        ByteBuffer bytes = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            int at = from + 4 * i;
            bytes.putInt(at, bytes.getInt(at) ^ Float.floatToRawIntBits(reference[i]));
        }
        return out;
    }

    public static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] resource(String file) {
        String path = "/golden/" + name + "/" + file;
        try (InputStream in = GoldenRun.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + path + " on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
