package dev.streamtrain.launcher;

import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The extension points end to end: with the example module's jar on the class path (a test
 * dependency here, STREAMTRAIN_CLASSPATH for the script), its spec file trains the tutorial with the
 * hand-written {@code my-cross-entropy}, whose training and test figures are cross-entropy's; and
 * its {@code logistic-regression} model trains through the same command.
 */
class CustomLossTest {

    private static final Path SPEC = Path.of("..", "examples", "custom-loss", "tutorial-my-cross-entropy.yaml")
            .toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void aLossAndAModelOfOnesOwnTrainThroughTheStream() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 320, 64, 9);
        Path state = tmp.resolve("state");
        String[] common = {"--data", data.toString(), "--no-download", "--state-dir", state.toString(), "--epochs",
                "2", "--batch-size", "32", "--lr", "0.05", "--metrics-port", "-1"};

        CommandRun mine = CommandRun.of(concat(new String[] {"local", "--config", SPEC.toString(), "--run-id", "mine"},
                common));
        CommandRun builtIn = CommandRun.of(concat(new String[] {"local", "--config", SPEC.toString(), "--loss",
                "cross-entropy", "--run-id", "built-in"}, common));
        CommandRun linear = CommandRun.of(concat(new String[] {"local", "--model", "logistic-regression", "--loss",
                "my-cross-entropy", "--run-id", "linear"}, common));

        assertThat(mine.exitCode()).as(mine.err()).isZero();
        assertThat(builtIn.exitCode()).as(builtIn.err()).isZero();
        assertThat(linear.exitCode()).as(linear.err()).isZero();
        assertThat(mine.out()).contains("loss my-cross-entropy");
        assertThat(linear.out()).contains("model logistic-regression, loss my-cross-entropy");
        double[] mineLosses = LocalCommandTest.testLosses(mine.out());
        double[] builtInLosses = LocalCommandTest.testLosses(builtIn.out());
        assertThat(mineLosses).hasSize(2);
        for (int epoch = 0; epoch < 2; epoch++) {
            assertThat(mineLosses[epoch]).as("epoch %d test loss", epoch + 1).isCloseTo(builtInLosses[epoch],
                    within(1e-4));
        }
        assertThat(LocalCommandTest.testLosses(linear.out())[1]).isLessThan(Math.log(10));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
