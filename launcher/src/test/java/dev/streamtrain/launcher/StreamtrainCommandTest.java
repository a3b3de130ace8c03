package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

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
            "sweep, --like"})
    void everyCommandHasHelp(String command, String option) {
        CommandRun run = CommandRun.of(command, "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Usage: streamtrain " + command).contains(option);
    }

    @Test
    void topLevelHelpListsTheCommands() {
        CommandRun run = CommandRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("local", "broker", "produce", "train", "evaluate");
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
                .contains("unknown dataset 'cifar-100'; known: fashion-mnist, mnist");
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
}
