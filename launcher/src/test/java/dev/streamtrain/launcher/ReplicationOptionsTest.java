package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --replication-factor} and {@code --min-insync-replicas} on every command that creates topics,
 * down to the topics it creates. On a replicated cluster: ReplicatedClusterFailoverTest.
 */
class ReplicationOptionsTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"local", "produce", "train", "evaluate", "replay", "sweep"})
    void everyCommandThatCreatesTopicsTakesBoth(String command) {
        CommandRun run = CommandRun.of(command, "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("--replication-factor=N", "--min-insync-replicas=N");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "produce", "train", "evaluate", "replay", "sweep"})
    void aMinimumAboveTheReplicationFactorIsRefusedBeforeAnythingStarts(String command) {
        // a cluster nobody answers at: refused before connecting, so the error is the options'
        CommandRun run = CommandRun.of(args(command, "127.0.0.1:1", "--replication-factor", "2",
                "--min-insync-replicas", "3"));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).isEqualTo("error: --min-insync-replicas 3 exceeds --replication-factor 2: no write "
                + "could ever be acknowledged; give at most 2\n");
        assertThat(CommandRun.of(args(command, "127.0.0.1:1", "--replication-factor", "0")).err())
                .isEqualTo("error: --replication-factor must be between 1 and 32767, got 0\n");
    }

    /** Down to the topics each command creates (replay's trainer creates none: its run's topics exist). */
    @ParameterizedTest
    @ValueSource(strings = {"local", "produce", "train", "evaluate", "sweep"})
    void moreReplicasThanTheClusterHasBrokersIsOneLineNamingTheOption(String command) {
        CommandRun run = CommandRun.of(args(command, KAFKA.bootstrapServers(), "--replication-factor", "2",
                "--min-insync-replicas", "2"));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).startsWith("error: could not create topic ")
                .contains(" with replication factor 2 (--replication-factor) and min.insync.replicas 2 "
                        + "(--min-insync-replicas): ").hasLineCount(1);
    }

    /** {@code command} against {@code bootstrap} (local: its own broker), on topics of its own, then {@code extra}. */
    private String[] args(String command, String bootstrap, String... extra) {
        String prefix = KAFKA.uniquePrefix();
        List<String> args = new ArrayList<>(List.of(command));
        if (!command.equals("local")) {
            args.addAll(List.of("--bootstrap-servers", bootstrap, "--connect-timeout", "1s"));
        }
        if (!command.equals("replay")) {
            for (String topic : List.of("minibatch", "test", "snapshot", "metrics", "runs")) {
                args.addAll(List.of("--" + topic + "-topic", prefix + topic));
            }
        }
        switch (command) {
            case "local", "produce" -> args.addAll(List.of("--data", data().toString(), "--no-download",
                    "--epochs", "1", "--metrics-port", "-1", "--state-dir", tmp.resolve("state").toString()));
            case "train" -> args.addAll(List.of("--run-id", "r", "--metrics-port", "-1"));
            case "evaluate" -> args.addAll(List.of("--metrics-port", "-1", "--state-dir",
                    tmp.resolve("state").toString()));
            case "replay" -> args.addAll(List.of("--run", "r"));
            case "sweep" -> args.addAll(List.of("--stream", "s", "--set", "lr=0.1"));
            default -> throw new IllegalArgumentException(command);
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private Path data() {
        try {
            return SyntheticIdxDataset.write(tmp.resolve("data"), 100, 50, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
