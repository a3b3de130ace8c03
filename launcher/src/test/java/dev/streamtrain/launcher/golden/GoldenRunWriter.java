package dev.streamtrain.launcher.golden;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.IdxFormat;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.golden.GoldenRun;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.evaluator.EvaluatorSettings;
import dev.streamtrain.evaluator.EvaluatorTopology;
import dev.streamtrain.launcher.StreamtrainCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a golden run (see {@code GoldenRun}): trains a small run with {@code streamtrain local}
 * as the code of the day does, then stores every record of every topic it wrote. Run once, with the
 * version whose records are to be kept, naming the golden's directory (its name picks the
 * {@link Recipe}); a directory that already holds a golden run is refused, golden runs are never
 * rewritten:
 * <pre>
 * ./mvnw -q -B -o test-compile dependency:build-classpath -pl launcher -am \
 *     -Dmdep.outputFile=/tmp/streamtrain.classpath -Dmdep.includeScope=test
 * java -cp "launcher/target/test-classes:launcher/target/classes:$(cat /tmp/streamtrain.classpath)" \
 *     dev.streamtrain.launcher.golden.GoldenRunWriter contracts/src/test/resources/golden/NAME
 * </pre>
 * The data are sparse (each class lights a few pixels of its own row, the rest is 0); for
 * {@code tutorial-mlp} on them most of the first layer keeps its initial weights, so its snapshots,
 * XOR-ed with those, compress well.
 */
public final class GoldenRunWriter {

    private static final long SEED = 42;

    /**
     * How a golden run was made: its generated dataset ({@code train} and {@code test} images of
     * {@code side} x {@code side} pixels, {@code classes} classes, under Fashion-MNIST's IDX file names) and
     * the arguments of {@code streamtrain local} it was trained with, besides the data, state directory, run id
     * and report. {@code xorSnapshots}: snapshot values go to files of their own, their parameters XOR-ed with
     * {@link GoldenRun#referenceParameters} ({@code tutorial-mlp} only); otherwise every value is inline.
     */
    record Recipe(String name, String runId, int side, int classes, int train, int test, boolean xorSnapshots,
                  List<String> arguments) {
    }

    /**
     * {@code run-2026-11-30}, written by commit 89bed04: the tutorial's model and loader on 64 + 32 images,
     * one epoch of 4 batches. Kept to say how it was made; today's code writes other record versions.
     */
    static final Recipe PRE_ENGINE_SEAM = new Recipe(GoldenRun.PRE_ENGINE_SEAM, GoldenRun.RUN_ID, 28, 10, 64, 32,
            true, List.of("--epochs", "1", "--batch-size", "16", "--test-batch-size", "16", "--snapshot-every", "3",
            "--seed", String.valueOf(SEED)));

    /**
     * {@code run-2026-12-01}: everything 0.4 added. A dataset of the user's own (8x8 images, 4 classes), 40
     * training images of which 10 are carved off as the validation split; 2 shuffled epochs of the 30 left
     * in batches of 8 with drop_last (3 batches, the last 6 samples of each epoch dropped); test and
     * validation sets in batches of 8 (the last smaller); Normalize(0.5, 0.5); a small {@code mlp} (64-8-4)
     * trained with Adam, so snapshots hold its state; a snapshot every 2 steps and at epoch ends (steps 2, 3,
     * 4 and 6: mid-epoch, epoch end, mid-epoch, final). Normalize makes every input non-zero, so every
     * parameter moves and Adam keeps two more floats per parameter: {@code tutorial-mlp} would make each
     * snapshot about 8 MB that no XOR compresses; this model's are 8 KB, stored inline.
     */
    static final Recipe STREAMTRAIN_0_4 = new Recipe(GoldenRun.STREAMTRAIN_0_4, "golden-2", 8, 4, 40, 20, false,
            List.of("--dataset", "golden-bars", "--dataset-format", IdxFormat.NAME, "--classes", "4",
                    "--val-size", "10", "--shuffle", "--drop-last", "--epochs", "2", "--batch-size", "8",
                    "--test-batch-size", "8", "--normalize-mean", "0.5", "--normalize-std", "0.5",
                    "--model", "mlp", "--hidden", "8", "--optimizer", "adam", "--lr", "0.1",
                    "--snapshot-every", "2", "--threads", "1", "--seed", String.valueOf(SEED)));

    /**
     * {@code run-2026-12-02}: snapshot version 4, the test-then-train state. The run of {@link #STREAMTRAIN_0_4}
     * with {@code --window 20 --fading-factor 0.9} on {@code --engine dl4j} (which every module's tests have;
     * {@code auto} would pick {@code blas} for this network): a window of two batches of 8 (a third would make 24), so
     * every snapshot after the second step carries a window that has dropped batches.
     */
    static final Recipe STREAMTRAIN_0_6 = new Recipe(GoldenRun.STREAMTRAIN_0_6, "golden-3", 8, 4, 40, 20, false,
            Stream.concat(STREAMTRAIN_0_4.arguments().stream(),
                    Stream.of("--window", "20", "--fading-factor", "0.9", "--engine", "dl4j")).toList());

    private static final Map<String, Recipe> RECIPES = Map.of(PRE_ENGINE_SEAM.name(), PRE_ENGINE_SEAM,
            STREAMTRAIN_0_4.name(), STREAMTRAIN_0_4, STREAMTRAIN_0_6.name(), STREAMTRAIN_0_6);

    private GoldenRunWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Recipe recipe = RECIPES.get(out.getFileName().toString());
        if (recipe == null) {
            throw new IllegalArgumentException("no recipe for a golden run named " + out.getFileName() + "; known: "
                    + RECIPES.keySet());
        }
        if (Files.exists(out.resolve("records.jsonl"))) {
            throw new IllegalArgumentException(out + " already holds a golden run; golden runs are never rewritten");
        }
        int count = write(recipe, out);
        try (PrintStream o = new PrintStream(System.out, true, StandardCharsets.UTF_8)) {
            o.println("wrote " + count + " records to " + out);
        }
    }

    /** Trains the recipe's run and writes its records to {@code out}; returns how many. */
    static int write(Recipe recipe, Path out) throws Exception {
        Path work = Files.createTempDirectory("golden");
        Path data = work.resolve("data");
        writeSparseDataset(data, recipe.side(), recipe.classes(), recipe.train(), recipe.test());
        Path state = work.resolve("state");
        String[] arguments = Stream.concat(Stream.of("local", "--data", data.toString(), "--no-download",
                        "--state-dir", state.toString(), "--run-id", recipe.runId(), "--metrics-port", "-1",
                        "--report", work.resolve("c.png").toString()), recipe.arguments().stream())
                .toArray(String[]::new);
        int code = StreamtrainCommand.newCommandLine(System.out, System.err).execute(arguments);
        if (code != 0) {
            throw new IllegalStateException("local exited " + code);
        }
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            for (String topic : topics(recipe)) {
                for (ConsumerRecord<String, byte[]> r : TopicRecords.readAll(broker.bootstrapServers(), topic,
                        new StringDeserializer(), new ByteArrayDeserializer())) {
                    ObjectNode line = json.createObjectNode().put("topic", r.topic()).put("partition", r.partition())
                            .put("offset", r.offset()).put("key", r.key()).put("sha256", GoldenRun.sha256(r.value()));
                    if (recipe.xorSnapshots() && topic.equals(TopicNames.DEFAULT_SNAPSHOTS)) {
                        WeightSnapshot s = new WeightSnapshotDeserializer().deserialize(topic, r.value());
                        int count = s.parameters().length;
                        int from = r.value().length - 32 - 4 * s.updaterState().length - 8 - 4 * count;
                        String file = "snapshots/" + r.partition() + "-" + r.offset() + ".stws.xor.gz";
                        Files.createDirectories(out.resolve("snapshots"));
                        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(out.resolve(file)))) {
                            gz.write(GoldenRun.unXor(r.value(), from, count, SEED));
                        }
                        line.put("valueFile", file).put("parametersFrom", from).put("parameterCount", count)
                                .put("referenceSeed", SEED);
                    } else {
                        line.put("value", Base64.getEncoder().encodeToString(r.value()));
                    }
                    lines.add(json.writeValueAsString(line));
                }
            }
        }
        Files.writeString(out.resolve("records.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return lines.size();
    }

    /**
     * The topics whose records a golden run keeps: the five of {@link TopicNames}, and from 0.4 on also the
     * evaluator's best-snapshot changelog, which {@code streamtrain runs} reads.
     */
    static List<String> topics(Recipe recipe) {
        List<String> topics = new ArrayList<>(List.of(TopicNames.DEFAULT_MINIBATCHES, TopicNames.DEFAULT_TEST_SET,
                TopicNames.DEFAULT_SNAPSHOTS, TopicNames.DEFAULT_METRICS, TopicNames.DEFAULT_RUNS));
        if (recipe != PRE_ENGINE_SEAM) {
            topics.add(EvaluatorTopology.bestSnapshotChangelog(EvaluatorSettings.DEFAULT_APPLICATION_ID));
        }
        return topics;
    }

    /**
     * Fashion-MNIST's file names, {@code side} x {@code side} images: class c lights the 8 pixels
     * {@code side/2 - 4 .. side/2 + 3} of row {@code (side - 2 * classes) / 2 + 2c} (columns 10..17 of row
     * 4 + 2c for 28x28 images of 10 classes), each {@code 128 + nextInt(128)}, the rest 0.
     */
    static void writeSparseDataset(Path dir, int side, int classes, int train, int test) throws Exception {
        if (side < 8 || 2 * classes > side) {
            throw new IllegalArgumentException(classes + " classes do not fit in rows of " + side + " pixels");
        }
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(SEED);
        int firstRow = (side - 2 * classes) / 2;
        int firstColumn = side / 2 - 4;
        for (Split split : new Split[] {Split.TRAIN, Split.TEST}) {
            int count = split == Split.TRAIN ? train : test;
            byte[] images = new byte[count * side * side];
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                int label = random.nextInt(classes);
                labels[i] = (byte) label;
                for (int c = firstColumn; c < firstColumn + 8; c++) {
                    images[i * side * side + (firstRow + 2 * label) * side + c] = (byte) (128 + random.nextInt(128));
                }
            }
            SyntheticIdxDataset.writeIdx(dir.resolve(IdxFormat.imagesFile(split) + ".gz"), new int[] {count, side, side},
                    images);
            SyntheticIdxDataset.writeIdx(dir.resolve(IdxFormat.labelsFile(split) + ".gz"), new int[] {count}, labels);
        }
    }
}
