package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code produce --drift …} and {@code --loop}: what the stream turns into, and the options' errors. */
class ProduceDriftCommandTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    Path tmp;

    @Test
    void swapDatasetStreamsTheOtherDatasetAfterNBatches() throws Exception {
        Path fashion = SyntheticIdxDataset.write(tmp.resolve("fashion"), 200, 50, 1);
        Path mnist = SyntheticIdxDataset.write(tmp.resolve("mnist"), 200, 50, 2);
        String prefix = KAFKA.uniquePrefix();
        CommandRun run = CommandRun.of("produce", "--bootstrap-servers", KAFKA.bootstrapServers(), "--minibatch-topic",
                prefix + "minibatches", "--test-topic", prefix + "testset", "--data", fashion.toString(), "--no-download", "--stream", "drifting", "--epochs", "2",
                "--batch-size", "50", "--rate", "100000", "--drift-after", "6", "--drift", "swap-dataset",
                "--drift-dataset", "mnist", "--drift-data", mnist.toString(), "--metrics-port", "-1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Producing stream drifting: 2 epochs of fashion-mnist at 100000 samples/s, "
                + "swapped to mnist after 6 batches");
        List<Minibatch> batches = TopicRecords.readAll(KAFKA.bootstrapServers(),
                prefix + "minibatches", new StringDeserializer(),
                new MinibatchDeserializer()).stream().map(ConsumerRecord::value).toList();
        assertThat(batches).extracting(b -> b.epoch() + "/" + b.batchIndex() + " " + b.dataset()).containsExactly(
                "1/0 fashion-mnist", "1/1 fashion-mnist", "1/2 fashion-mnist", "1/3 fashion-mnist",
                "2/0 fashion-mnist", "2/1 fashion-mnist", "2/2 mnist", "2/3 mnist");
        assertThat(batches).allMatch(b -> b.epochs() == 2);
    }

    @Test
    void badDriftAndLoopOptionsAreOneClearError() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), 100, 20, 1);
        String[] base = {"produce", "--bootstrap-servers", "127.0.0.1:1", "--data", data.toString(), "--no-download",
                "--metrics-port", "-1"};
        assertError(base, "error: --loop streams passes until stopped: it takes no --epochs (set by --epochs)",
                "--loop", "--epochs", "3");
        assertError(base, "error: --drift-after must be >= 1, got 0", "--drift", "permute-labels", "--drift-after",
                "0");
        assertError(base, "error: --drift permute-labels needs --drift-after N: the training batches sent before it",
                "--drift", "permute-labels");
        assertError(base, "error: --drift-after and the --drift-dataset options need --drift "
                + "permute-labels|swap-dataset", "--drift-after", "5");
        assertError(base, "error: unknown drift 'flip': permute-labels or swap-dataset", "--drift", "flip",
                "--drift-after", "5");
        assertError(base, "error: --drift swap-dataset needs --drift-dataset NAME", "--drift", "swap-dataset",
                "--drift-after", "5");
        assertError(base, "error: --rate must be a positive number of samples a second, got 0.0", "--rate", "0");
        Path cifar = tmp.resolve("cifar");
        assertError(base, "error: dataset 'cifar10'", "--drift", "swap-dataset", "--drift-after", "5",
                "--drift-dataset", "cifar10", "--drift-data", cifar.toString());
        Path small = SyntheticIdxDataset.write(tmp.resolve("small"), 50, 20, 1);
        assertError(base, "error: cannot swap fashion-mnist (100 training samples) for mnist: it has 50", "--drift",
                "swap-dataset", "--drift-after", "5", "--drift-dataset", "mnist", "--drift-data", small.toString());
    }

    private static void assertError(String[] base, String message, String... options) {
        String[] args = new String[base.length + options.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(options, 0, args, base.length, options.length);
        CommandRun run = CommandRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).as(String.join(" ", options)).startsWith(message);
    }
}
