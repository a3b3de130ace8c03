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
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a golden run (see {@code GoldenRun}): trains a small run with {@code streamtrain local}
 * as the code of the day does, then stores every record of every topic it wrote. Run once, with the
 * version whose records are to be kept:
 * <pre>
 * ./mvnw -q -pl launcher -am test-compile
 * java -cp "$(cat classpath)" dev.streamtrain.launcher.golden.GoldenRunWriter \
 *     contracts/src/test/resources/golden/NAME
 * </pre>
 * The data are sparse (each class lights 8 pixels of its own row, the rest is 0), so most of the
 * first layer keeps its initial weights and the XOR-ed snapshots compress well.
 */
public final class GoldenRunWriter {

    private static final long SEED = 42;

    private GoldenRunWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path work = Files.createTempDirectory("golden");
        Path data = work.resolve("data");
        writeSparseDataset(data, 64, 32);
        Path state = work.resolve("state");
        int code = StreamtrainCommand.newCommandLine(System.out, System.err).execute("local", "--data",
                data.toString(), "--no-download", "--state-dir", state.toString(), "--run-id", GoldenRun.RUN_ID,
                "--epochs", "1", "--batch-size", "16", "--test-batch-size", "16", "--snapshot-every", "3",
                "--seed", String.valueOf(SEED), "--metrics-port", "-1", "--report", work.resolve("c.png").toString());
        if (code != 0) {
            throw new IllegalStateException("local exited " + code);
        }
        Files.createDirectories(out.resolve("snapshots"));
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            for (String topic : List.of(TopicNames.DEFAULT_MINIBATCHES, TopicNames.DEFAULT_TEST_SET,
                    TopicNames.DEFAULT_SNAPSHOTS, TopicNames.DEFAULT_METRICS, TopicNames.DEFAULT_RUNS)) {
                for (ConsumerRecord<String, byte[]> r : TopicRecords.readAll(broker.bootstrapServers(), topic,
                        new StringDeserializer(), new ByteArrayDeserializer())) {
                    ObjectNode line = json.createObjectNode().put("topic", r.topic()).put("partition", r.partition())
                            .put("offset", r.offset()).put("key", r.key()).put("sha256", GoldenRun.sha256(r.value()));
                    if (topic.equals(TopicNames.DEFAULT_SNAPSHOTS)) {
                        WeightSnapshot s = new WeightSnapshotDeserializer().deserialize(topic, r.value());
                        int count = s.parameters().length;
                        int from = r.value().length - 32 - 4 * s.updaterState().length - 8 - 4 * count;
                        String file = "snapshots/" + r.partition() + "-" + r.offset() + ".stws.xor.gz";
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
        try (PrintStream o = new PrintStream(System.out, true, StandardCharsets.UTF_8)) {
            o.println("wrote " + lines.size() + " records to " + out);
        }
    }

    /** Fashion-MNIST's file names, 28x28 images: class c lights pixels 10..17 of row 4 + 2c. */
    static void writeSparseDataset(Path dir, int train, int test) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(SEED);
        for (Split split : new Split[] {Split.TRAIN, Split.TEST}) {
            int count = split == Split.TRAIN ? train : test;
            byte[] images = new byte[count * 28 * 28];
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                int label = random.nextInt(10);
                labels[i] = (byte) label;
                for (int c = 10; c < 18; c++) {
                    images[i * 784 + (4 + 2 * label) * 28 + c] = (byte) (128 + random.nextInt(128));
                }
            }
            SyntheticIdxDataset.writeIdx(dir.resolve(IdxFormat.imagesFile(split) + ".gz"), new int[] {count, 28, 28},
                    images);
            SyntheticIdxDataset.writeIdx(dir.resolve(IdxFormat.labelsFile(split) + ".gz"), new int[] {count}, labels);
        }
    }
}
