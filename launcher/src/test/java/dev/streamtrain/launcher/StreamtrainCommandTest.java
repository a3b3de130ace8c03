package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamtrainCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
            "local, --epochs",
            "broker, --port",
            "produce, --batch-size",
            "train, --snapshot-every",
            "evaluate, --exit-after",
            "runs, --application-id",
            "snapshots, --run",
            "replay, --set",
            "sweep, --like",
            "serve, --policy",
            "bench, --peer-library-path"})
    void everyCommandHasHelp(String command, String option) {
        CommandRun run = CommandRun.of(command, "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Usage: streamtrain " + command).contains(option);
    }

    @Test
    void topLevelHelpListsTheCommands() {
        CommandRun run = CommandRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("local", "broker", "produce", "train", "evaluate", "serve");
        assertThat(CommandRun.of("--version").out()).contains("Kafka 4.3.1", "DL4J/ND4J 1.0.0-M2.1");
    }

    @Test
    void withoutBootstrapServersTheEmbeddedBrokerIsUsedOrTheErrorSaysWhyNot() {
        try (EmbeddedKafkaBroker running = EmbeddedKafkaBroker.builder(tmp.resolve("state/kafka")).build().start()) {
            CommandRun run = CommandRun.of("train", "--run-id", "r1", "--state-dir", tmp.resolve("state").toString());
            assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(run.err()).contains("error: no --bootstrap-servers given, and the embedded broker over "
                    + tmp.resolve("state/kafka").toAbsolutePath() + " could not start")
                    .contains("pass its --bootstrap-servers");
        }
        CommandRun runs = CommandRun.of("runs", "--state-dir", tmp.resolve("fresh").toString());
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).contains("No runs on streamtrain.runs yet: start one with 'streamtrain local'.");
    }

    @Test
    void aClusterNobodyAnswersAtFailsWithinTheConnectTimeoutInOneLineNamingIt() {
        for (List<String> command : List.of(List.of("runs"), List.of("train", "--run-id", "r"), List.of("evaluate"),
                List.of("serve", "--run", "r", "--port", "0", "--metrics-port", "-1"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "1s", "--state-dir",
                    tmp.resolve("unreachable").toString()));
            CommandRun run = CommandRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(command.get(0)).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(run.err()).as(command.get(0)).startsWith("error: cannot reach the Kafka cluster at 127.0.0.1:1 within "
                    + "1.0 s (").contains("is --bootstrap-servers right and the cluster up?").hasLineCount(1);
        }
        assertThat(CommandRun.of("runs", "--connect-timeout", "soon").err())
                .contains("'soon' is not a duration: give e.g. 500ms, 10s, 5m, 2h or PT1M30S");
    }

    @Test
    void trainingAStreamThatIsNotThereFailsAfterWaitForStreamNamingTheStreamsThatAre() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(tmp.resolve("streams/kafka")).build().start()) {
            TopicProvisioner.ensureTopics(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()), TopicNames.DEFAULT);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                    new ByteArraySerializer())) {
                // the trainer skips other streams' records by key, without decoding them
                producer.send(new ProducerRecord<>(TopicNames.DEFAULT_MINIBATCHES, "fashion-1", new byte[] {1})).get();
                producer.send(new ProducerRecord<>(TopicNames.DEFAULT_MINIBATCHES, "cifar-2", new byte[] {2})).get();
            }
            CommandRun run = CommandRun.of("train", "--bootstrap-servers", broker.bootstrapServers(), "--run-id",
                    "r", "--stream", "nope", "--wait-for-stream", "2s", "--metrics-port", "-1");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(run.err()).isEqualTo("error: stream nope did not appear on topic streamtrain.minibatches within "
                    + "2 s (--wait-for-stream); streams read there: fashion-1, cifar-2; produce it first, or check "
                    + "--stream\n");
        }
    }

    @Test
    void anEvaluatorWithoutItsTestSetStopsWithOneLineNamingTheTopicAndWhatIsMissing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(tmp.resolve("eval/kafka")).build().start()) {
            TopicProvisioner.ensureTopics(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()), TopicNames.DEFAULT);
            try (KafkaProducer<String, WeightSnapshot> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024), new StringSerializer(),
                    new WeightSnapshotSerializer())) {
                WeightSnapshot snapshot = WeightSnapshot.of(RunSpecFixture.spec("r"), 1, 1, 64, 0, true, true,
                        EpochLoss.UNKNOWN, EpochAccuracy.UNKNOWN, List.of(), RunSpecFixture.spec("r").architecture()
                                .layout(), new float[RunSpecFixture.spec("r").architecture().parameterCount()],
                        new float[0]);
                producer.send(new ProducerRecord<>(TopicNames.DEFAULT_SNAPSHOTS, "r", snapshot)).get();
            }
            CommandRun run = CommandRun.of("evaluate", "--bootstrap-servers", broker.bootstrapServers(),
                    "--state-dir", tmp.resolve("eval").toString(), "--test-set-timeout", "2", "--metrics-port", "-1");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(run.err()).startsWith("error: evaluator stopped: test set of fashion-mnist on topic "
                    + TopicNames.DEFAULT_TEST_SET + " is incomplete after 2 s: ").hasLineCount(1);
        }
    }

    @Test
    void missingDataNamesEveryPlaceTried() {
        CommandRun run = CommandRun.of("local", "--dataset", "mnist", "--data", tmp.resolve("nowhere").toString(),
                "--no-download", "--state-dir", tmp.resolve("state").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("dataset 'mnist' not found. Tried:", tmp.resolve("nowhere").toString(),
                "download (disabled)", "or pass --data DIR");
    }

    @Test
    void badOptionValuesAreInvalidInput() {
        assertThat(CommandRun.of("local", "--dataset", "cifar-100").err())
                .contains("unknown dataset 'cifar-100'; known: cifar10, fashion-mnist, mnist; "
                        + "or give --dataset-format idx --data DIR --classes N");
        CommandRun epochs = CommandRun.of("local", "--epochs", "0");
        assertThat(epochs.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(epochs.err()).contains("epochs must be >= 1, got 0 (set by --epochs)");
        CommandRun runId = CommandRun.of("local", "--run-id", "no spaces please");
        assertThat(runId.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(runId.err()).contains("--run-id 'no spaces please' is not valid");
        CommandRun unknown = CommandRun.of("train", "--no-such-option");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void badSpecsAreRefusedBeforeAnythingStartsWithOneLineNamingTheFieldAndTheFix() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 64, 16, 1);
        Path state = tmp.resolve("state");
        Path unknownKey = Files.writeString(tmp.resolve("unknown.yaml"), "learning_rate: 0.1\n");
        Path zeroBatch = Files.writeString(tmp.resolve("zero.yaml"), "batch_size: 0\n");
        Map<String[], String> cases = new LinkedHashMap<>();
        cases.put(new String[] {"local", "--config", unknownKey.toString()},
                unknownKey + ": unknown key 'learning_rate'; known keys: dataset, dataset_format, classes, batch_size,");
        cases.put(new String[] {"local", "--lr", "0"},
                "optimizer sgd: sgd: lr must be a finite number > 0, got 0.0 (the tutorial uses 1e-3) (set by --lr)");
        cases.put(new String[] {"local", "--config", zeroBatch.toString()},
                "batch_size must be >= 1, got 0 (set by " + zeroBatch + ")");
        cases.put(new String[] {"local", "--epochs", "-2"}, "epochs must be >= 1, got -2 (set by --epochs)");
        cases.put(new String[] {"local", "--optimizer", "adam", "--momentum", "0.9"},
                "optimizer parameter 'momentum' is a parameter of sgd and rmsprop, not of adam (adam takes lr, betas, "
                        + "eps, weight_decay, amsgrad)");
        cases.put(new String[] {"local", "--model", "convnet-small", "--kernel-size", "40"},
                "model convnet-small does not fit samples of shape [1, 28, 28] with 10 classes: Conv2d(1, 8, "
                        + "kernel_size=40, stride=1, padding=0) does not fit its input [1, 28, 28]");
        cases.put(new String[] {"local", "--engine", "torch"}, "unknown engine 'torch'; known: [");
        cases.put(new String[] {"local", "--engine", "blas", "--model", "mlp", "--batch-norm"},
                "the blas engine computes Flatten, Linear, Conv2d, MaxPool2d, ReLU, Tanh, Sigmoid and Dropout layers, "
                        + "not layer 2, BatchNorm(512, eps=1.0E-5, momentum=0.1); use --engine dl4j, which computes "
                        + "every layer");
        cases.put(new String[] {"train", "--schedule", "cosine"}, "schedule cosine needs t_max");
        cases.put(new String[] {"local", "--window", "0"}, "--window must be in [1, 100000] samples, got 0");
        cases.put(new String[] {"train", "--fading-factor", "1.5"},
                "--fading-factor must be in (0, 1] (1: a plain running mean), got 1.5");
        cases.put(new String[] {"train", "--engine", "torch"}, "(set by --engine)");
        cases.put(new String[] {"sweep", "--stream", "s", "--set", "loss=hinge,nll"}, "unknown loss 'hinge'");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(c.getKey()), java.util.stream.Stream.of(
                    "--data", data.toString(), "--no-download", "--state-dir", state.toString()))
                    .filter(a -> !c.getKey()[0].equals("train") && !c.getKey()[0].equals("sweep")
                            || !a.equals("--data") && !a.equals(data.toString()) && !a.equals("--no-download"))
                    .toArray(String[]::new);
            CommandRun run = CommandRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", c.getKey())).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(run.err()).as(String.join(" ", c.getKey())).startsWith("error: ").contains(c.getValue())
                    .doesNotContain("\tat ");
            assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
        }
        assertThat(state.resolve("kafka")).as("no broker was started").doesNotExist();
    }
}
