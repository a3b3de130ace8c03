package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM to a running {@code evaluate}: its Streams application closes, and the JVM exits then, not before. */
class EvaluateSigtermTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    Path tmp;

    @RegisterExtension
    final CommandProcesses processes = new CommandProcesses(() -> tmp);

    @Test
    void sigtermClosesTheEvaluatorAndExits143() throws Exception {
        Process evaluate = processes.start("evaluate", "evaluate", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--state-dir", tmp.resolve("state").toString(), "--metrics-port", "-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> processes.stdoutOf("evaluate")
                .contains("Evaluating snapshots from"));
        evaluate.destroy(); // SIGTERM
        assertThat(evaluate.waitFor(60, TimeUnit.SECONDS)).as(processes.stderrOf("evaluate")).isTrue();
        assertThat(evaluate.exitValue()).isEqualTo(128 + 15);
        assertThat(processes.stdoutOf("evaluate")).as("the Streams application closed before the JVM exited; stderr: "
                        + processes.stderrOf("evaluate"))
                .endsWith("Evaluator closed: the evaluations it wrote are committed" + System.lineSeparator());
    }
}
