package dev.streamtrain.trainer;

import java.time.Duration;

/** Where a training loop gets its run's minibatches, in stream order: a Kafka topic, or a list in tests. */
public interface MinibatchFeed {

    /** The next minibatch of the stream; waits for it as long as it takes. */
    StreamedBatch next();

    /**
     * The next minibatch of the stream if one comes within {@code timeout}, else null. A feed that
     * never waits (a list in tests) gives {@link #next}.
     */
    default StreamedBatch poll(Duration timeout) {
        return next();
    }

    /**
     * Makes a {@link #next} that is waiting, on another thread, give up soon by throwing; the feed
     * is then to be closed. Safe to call from any thread; nothing to do for a feed that never waits.
     */
    default void wakeup() {
    }
}
