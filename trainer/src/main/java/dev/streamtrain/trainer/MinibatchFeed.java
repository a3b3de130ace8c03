package dev.streamtrain.trainer;

/** Where a training loop gets its run's minibatches, in stream order: a Kafka topic, or a list in tests. */
public interface MinibatchFeed {

    /** The next minibatch of the stream; waits for it as long as it takes. */
    StreamedBatch next();
}
