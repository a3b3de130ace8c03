package dev.streamtrain.launcher;

import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code broker}, {@code produce}, {@code train} and {@code evaluate} as four separate OS processes
 * give the same weights (SHA-256) as {@code local} for the same seed.
 */
class SeparateProcessesTest {

    private static final Pattern SHA = Pattern.compile("sha256 ([0-9a-f]{64})");
    private static final Pattern BOOTSTRAP = Pattern.compile("--bootstrap-servers (\\S+)");

    @TempDir
    Path tmp;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void fourProcessesTrainTheSameWeightsAsLocal() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 500, 100, 3);
        String[] stream = {"--epochs", "2", "--batch-size", "50", "--test-batch-size", "100"};

        CommandRun local = CommandRun.of(concat(new String[] {"local", "--data", data.toString(), "--no-download",
                "--state-dir", tmp.resolve("local").toString(), "--run-id", "together", "--lr", "0.05"}, stream));
        assertThat(local.exitCode()).as(local.err()).isZero();
        String localSha = find(SHA, local.out());

        Process broker = start("broker", "--port", "0", "--state-dir", tmp.resolve("cluster").toString());
        Path brokerOut = out("broker");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(brokerOut).contains("ready"));
        String bootstrap = find(BOOTSTRAP, Files.readString(brokerOut));

        Process evaluate = start("evaluate", "--bootstrap-servers", bootstrap, "--exit-after", "apart",
                "--state-dir", tmp.resolve("evaluator").toString());
        Process produce = start(concat(new String[] {"produce", "--bootstrap-servers", bootstrap, "--data",
                data.toString(), "--no-download", "--run-id", "apart"}, stream));
        assertThat(produce.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(produce.exitValue()).as(Files.readString(err("produce"))).isZero();
        Process train = start("train", "--bootstrap-servers", bootstrap, "--run-id", "apart", "--lr", "0.05");
        assertThat(train.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(train.exitValue()).as(Files.readString(err("train"))).isZero();
        assertThat(evaluate.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(evaluate.exitValue()).as(Files.readString(err("evaluate"))).isZero();

        String trainOut = Files.readString(out("train"));
        assertThat(trainOut).contains("Epoch 2\n", "loss: ", "Trained run apart: 2 epochs, 20 steps, 1000 samples");
        assertThat(find(SHA, trainOut)).as("same seed, same data: same weights as local").isEqualTo(localSha);
        assertThat(Files.readString(out("evaluate"))).contains("Test Error: run apart, epoch 1, step 10",
                "Test Error: run apart, epoch 2, step 20");
        assertThat(Files.readString(out("produce"))).contains("stream apart: 20 batches (2 epochs of fashion-mnist)");
        assertThat(broker.isAlive()).isTrue();
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), StreamtrainCommand.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(out(args[0]).toFile())
                .redirectError(err(args[0]).toFile())
                .start();
        processes.add(process);
        return process;
    }

    private Path out(String name) {
        return tmp.resolve(name + ".out");
    }

    private Path err(String name) {
        return tmp.resolve(name + ".err");
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", pattern, text).isTrue();
        return m.group(1);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
