package dev.streamtrain.trainer;

import dev.streamtrain.contracts.wire.PrequentialState;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The sliding window of the test-then-train metrics, at batch granularity: the step tells a
 * batch's correct count and mean loss, not each sample's, so the window holds the most recent
 * whole batches whose samples add up to at most {@code size}, and always at least the newest
 * batch. A batch is appended, then the oldest dropped while the window holds more than
 * {@code size} samples and more than one batch. Its accuracy and loss are
 * {@link PrequentialState#windowAccuracy()} and {@link PrequentialState#windowLoss()}.
 */
final class PrequentialWindow {

    private final int size;
    private final ArrayDeque<PrequentialState.Batch> batches = new ArrayDeque<>();
    private long samples;

    /** An empty window of at most {@code size} samples. */
    PrequentialWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("--window must be >= 1 samples, got " + size);
        }
        this.size = size;
    }

    /** Appends {@code batch}, the newest, and drops the oldest batches the window no longer covers. */
    void add(PrequentialState.Batch batch) {
        batches.addLast(batch);
        samples += batch.samples();
        while (samples > size && batches.size() > 1) {
            samples -= batches.removeFirst().samples();
        }
    }

    /** The window's batches, oldest first. */
    List<PrequentialState.Batch> batches() {
        return List.copyOf(batches);
    }
}
