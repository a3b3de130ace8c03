package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.wire.PrequentialMetrics;
import dev.streamtrain.contracts.wire.PrequentialState;

/**
 * The run's test-then-train (prequential) metrics, as River's {@code progressive_val_score}: each
 * batch is predicted before it is trained on (its training step's forward pass comes before the
 * update), and its accuracy and loss go into a {@link PrequentialWindow} and two
 * {@link FadingAverage}s (accuracy, loss) with one weight. Its {@link #state()} travels in every
 * snapshot, so a resumed run and a replay go on from the exact values.
 */
final class Prequential {

    private final PrequentialSpec spec;
    private final PrequentialWindow window;
    private final FadingAverage accuracy;
    private final FadingAverage loss;

    private Prequential(PrequentialSpec spec, PrequentialState state) {
        this.spec = spec;
        this.window = new PrequentialWindow(spec.window());
        state.window().forEach(window::add);
        this.accuracy = new FadingAverage(spec.fadingFactor(), state.fadingWeight(), state.fadingAccuracySum());
        this.loss = new FadingAverage(spec.fadingFactor(), state.fadingWeight(), state.fadingLossSum());
    }

    /** Nothing measured yet. */
    static Prequential start(PrequentialSpec spec) {
        return new Prequential(spec, PrequentialState.EMPTY);
    }

    /** Where {@code state} left it; from the start if it is null (a snapshot older than version 4). */
    static Prequential restore(PrequentialSpec spec, PrequentialState state) {
        return new Prequential(spec, state == null ? PrequentialState.EMPTY : state);
    }

    /** A batch of {@code samples} samples, {@code correct} of them predicted right, of mean loss {@code batchLoss}. */
    void add(int samples, int correct, double batchLoss) {
        window.add(new PrequentialState.Batch(samples, correct, batchLoss));
        accuracy.add(samples, (double) correct / samples);
        loss.add(samples, batchLoss);
    }

    PrequentialState state() {
        return new PrequentialState(accuracy.weight(), accuracy.sum(), loss.sum(), window.batches());
    }

    PrequentialMetrics metrics() {
        return PrequentialMetrics.of(spec, state());
    }
}
