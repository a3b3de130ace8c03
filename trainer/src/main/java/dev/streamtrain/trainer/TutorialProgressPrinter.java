package dev.streamtrain.trainer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints training progress as the PyTorch tutorial does: an {@code Epoch N} header and, every 100
 * batches, {@code loss: 2.302296  [   64/60000]}.
 */
public final class TutorialProgressPrinter implements TrainingListener {

    public static final int EVERY_BATCHES = 100;

    private final PrintStream out;

    public TutorialProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEpochStart(int epoch) {
        out.printf(Locale.ROOT, "Epoch %d%n-------------------------------%n", epoch);
    }

    @Override
    public void onBatch(int epoch, int batchIndex, double loss, int samplesInEpoch, int datasetSize,
                        long stepNanos) {
        if (batchIndex % EVERY_BATCHES == 0) {
            out.println(lossLine(loss, samplesInEpoch, datasetSize));
        }
    }

    /** {@code f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]"} */
    public static String lossLine(double loss, int current, int size) {
        return String.format(Locale.ROOT, "loss: %7f  [%5d/%5d]", loss, current, size);
    }
}
