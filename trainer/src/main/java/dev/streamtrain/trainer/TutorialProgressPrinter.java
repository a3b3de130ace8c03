package dev.streamtrain.trainer;

import dev.streamtrain.contracts.wire.WeightSnapshot;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints training progress as the PyTorch tutorial does: an {@code Epoch N} header and, every 100
 * batches, {@code loss: 2.302296  [   64/60000]}; with the MNIST variant's batch accuracy
 * ({@code print_accuracy}), {@code loss: 0.301754  acc=0.84375  [  128/60000]}.
 */
public final class TutorialProgressPrinter implements TrainingListener {

    public static final int EVERY_BATCHES = 100;

    private final PrintStream out;
    private final boolean withAccuracy;

    public TutorialProgressPrinter(PrintStream out) {
        this(out, false);
    }

    /** @param withAccuracy also print each reported batch's training accuracy */
    public TutorialProgressPrinter(PrintStream out, boolean withAccuracy) {
        this.out = out;
        this.withAccuracy = withAccuracy;
    }

    @Override
    public void onResume(WeightSnapshot snapshot, long nextOffset) {
        out.printf(Locale.ROOT, "Resuming run %s from its snapshot at epoch %d, step %d (%d samples); minibatches from "
                + "offset %d%n", snapshot.runId(), snapshot.epoch(), snapshot.step(), snapshot.samplesSeen(), nextOffset);
    }

    @Override
    public void onEpochStart(int epoch) {
        out.printf(Locale.ROOT, "Epoch %d%n-------------------------------%n", epoch);
    }

    @Override
    public void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch, int datasetSize,
                        long stepNanos) {
        if (batchIndex % EVERY_BATCHES == 0) {
            out.println(withAccuracy ? lossLine(loss, accuracy, samplesInEpoch, datasetSize)
                    : lossLine(loss, samplesInEpoch, datasetSize));
        }
    }

    /** {@code f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]"} */
    public static String lossLine(double loss, int current, int size) {
        return String.format(Locale.ROOT, "loss: %7f  [%5d/%5d]", loss, current, size);
    }

    /** {@code f"loss: {loss:>7f}  acc={acc}  [{current:>5d}/{size:>5d}]"}, the accuracy as Python prints a float. */
    public static String lossLine(double loss, double accuracy, int current, int size) {
        return String.format(Locale.ROOT, "loss: %7f  acc=%s  [%5d/%5d]", loss, accuracy, current, size);
    }
}
