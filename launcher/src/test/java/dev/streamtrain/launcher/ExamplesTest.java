package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.DatasetDefinition;
import dev.streamtrain.contracts.dataset.Datasets;
import dev.streamtrain.contracts.dataset.IdxFormat;
import dev.streamtrain.contracts.dataset.SyntheticCifar10;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.launcher.spec.RecipeBuilder;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.StreamSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spec in examples/ runs through {@code local --config}, on small generated data in the
 * example's dataset format, and the run it records trains exactly what the file says.
 */
class ExamplesTest {

    /** Surefire runs tests in the module directory. */
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void generateData() throws IOException {
        for (String name : Datasets.names()) {
            DatasetDefinition dataset = Datasets.get(name);
            if (dataset.format() instanceof IdxFormat) {
                SyntheticIdxDataset.write(tmp.resolve(name), dataset, 384, 64, 3);
            } else {
                SyntheticCifar10.write(tmp.resolve(name), 384, 64, 3);
            }
        }
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theExamplesAreThereAndEachSaysWhatItReproduces() throws IOException {
        assertThat(examples().map(f -> f.getFileName().toString())).contains("tutorial.yaml", "tutorial-adam.yaml",
                "sgd-nesterov.yaml", "cifar10-mlp.yaml", "validation.yaml", "mnist-convnet.yaml");
        for (Path example : examples().toList()) {
            assertThat(Files.readString(example)).as(example.toString()).startsWith("# ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void runsThroughLocalAndTrainsWhatTheFileSays(Path example) {
        SpecSettings file = SpecSettings.fromYaml(example);
        TrainingRecipe expected = RecipeBuilder.build(file, TrainingRecipe.tutorial());
        String dataset = StreamSettings.from(file).dataset();
        String runId = example.getFileName().toString().replace(".yaml", "");
        Path state = tmp.resolve("state-" + runId);

        StreamSettings stream = StreamSettings.from(file);
        List<String> args = new ArrayList<>(List.of("local", "--config", example.toString(), "--data",
                tmp.resolve(dataset).toString(), "--no-download", "--state-dir", state.toString(), "--run-id", runId,
                "--epochs", "1", "--snapshot-every", "0", "--metrics-port", "-1"));
        if (stream.valSize() > 0) {
            args.addAll(List.of("--val-size", "32")); // the generated training set holds 384 samples
        }
        CommandRun local = CommandRun.of(args.toArray(String[]::new));

        assertThat(local.exitCode()).as(local.err()).isZero();
        assertThat(local.out()).contains("  " + expected.describe(), "Test Error: run " + runId + ", epoch 1",
                "Done! Time taken: ");
        if (stream.valSize() > 0 || stream.valFraction() > 0) {
            assertThat(local.out()).contains("Validation Error: run " + runId + ", epoch 1");
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            List<WeightSnapshot> snapshots = TopicRecords.readAll(broker.bootstrapServers(),
                    TopicNames.DEFAULT_SNAPSHOTS, new StringDeserializer(), new WeightSnapshotDeserializer())
                    .stream().map(ConsumerRecord::value).toList();
            assertThat(snapshots).hasSize(1);
            RunSpec spec = snapshots.get(0).spec();
            assertThat(spec.recipe()).isEqualTo(expected);
            assertThat(spec.dataset()).isEqualTo(dataset);
            assertThat(spec.batchSize()).isEqualTo(file.intValue(SpecKeys.BATCH_SIZE, 64));
            assertThat(spec.epochs()).as("--epochs overrides the file").isEqualTo(1);
            assertThat(spec.loader().shuffle()).isEqualTo(stream.shuffle());
            assertThat(spec.loader().dropLast()).isEqualTo(stream.dropLast());
            assertThat(spec.hasValidation()).isEqualTo(stream.valSize() > 0 || stream.valFraction() > 0);
            assertThat(snapshots.get(0).updaterState()).hasSize(expected.optimizer().stateNames().size()
                    * spec.architecture().parameterCount());
        }
    }
}
