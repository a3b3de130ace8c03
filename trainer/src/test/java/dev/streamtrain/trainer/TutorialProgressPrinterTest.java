package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tutorial's progress lines, and the MNIST variant's with the batch accuracy. */
class TutorialProgressPrinterTest {

    @Test
    void progressLinesMatchTheTutorial() {
        assertThat(TutorialProgressPrinter.lossLine(2.3022959, 64, 60000)).isEqualTo("loss: 2.302296  [   64/60000]");
        assertThat(TutorialProgressPrinter.lossLine(0.5, 59968, 60000)).isEqualTo("loss: 0.500000  [59968/60000]");
    }

    @Test
    void theAccuracyLineIsTheMnistVariants() {
        assertThat(TutorialProgressPrinter.lossLine(0.301754, 0.84375, 128, 60000))
                .isEqualTo("loss: 0.301754  acc=0.84375  [  128/60000]");
        // the accuracy as Python prints a float: shortest round trip, always with a point
        assertThat(TutorialProgressPrinter.lossLine(2.3022959, 0.0, 64, 60000))
                .isEqualTo("loss: 2.302296  acc=0.0  [   64/60000]");
        assertThat(TutorialProgressPrinter.lossLine(0.05, 1.0, 59968, 60000))
                .isEqualTo("loss: 0.050000  acc=1.0  [59968/60000]");
        assertThat(TutorialProgressPrinter.lossLine(1.5, 3 / 64.0, 6464, 60000))
                .isEqualTo("loss: 1.500000  acc=0.046875  [ 6464/60000]");
        assertThat(TutorialProgressPrinter.lossLine(1.5, 1 / 3.0, 6464, 60000))
                .isEqualTo("loss: 1.500000  acc=0.3333333333333333  [ 6464/60000]");
    }

    @Test
    void everyHundredthBatchIsPrintedWithItsAccuracyOnlyWhenAskedFor() {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream withAccuracy = new ByteArrayOutputStream();
        TutorialProgressPrinter a = new TutorialProgressPrinter(new PrintStream(plain, true, StandardCharsets.UTF_8));
        TutorialProgressPrinter b = new TutorialProgressPrinter(new PrintStream(withAccuracy, true,
                StandardCharsets.UTF_8), true);
        for (int batch = 0; batch <= 100; batch++) {
            a.onBatch(1, batch, 0.5, 0.75, 64 * (batch + 1), 60000, 0);
            b.onBatch(1, batch, 0.5, 0.75, 64 * (batch + 1), 60000, 0);
        }
        assertThat(plain.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("loss: 0.500000  [   64/60000]", "loss: 0.500000  [ 6464/60000]");
        assertThat(withAccuracy.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("loss: 0.500000  acc=0.75  [   64/60000]", "loss: 0.500000  acc=0.75  [ 6464/60000]");
    }

    @Test
    void aResumedRunSaysFromWhichSnapshotAndOffset() {
        java.io.ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TutorialProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .onResume(WeightSnapshot.of(
                        RunSpecFixture.spec("r"), 2, 1200, 76800, 0, false, false,
                        EpochLoss.UNKNOWN,
                        EpochAccuracy.UNKNOWN, List.of(),
                        RunSpecFixture.spec("r").architecture().layout(),
                        new float[RunSpecFixture.spec("r").architecture()
                                .parameterCount()], new float[0]), 1234);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Resuming run r from its "
                + "snapshot at epoch 2, step 1200 (76800 samples); minibatches from offset 1234\n");
    }
}
