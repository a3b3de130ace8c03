package dev.streamtrain.trainer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
}
