package dev.streamtrain.producer;

import dev.streamtrain.contracts.wire.Minibatch;

/** Told of every minibatch the broker acknowledged, e.g. to count it in metrics. */
@FunctionalInterface
public interface ProducerListener {

    ProducerListener NONE = (topic, key, batch, bytes) -> { };

    /** @param key the record key: the stream id for training batches, {@code <dataset>/<i>} for the test set */
    void onBatchAcked(String topic, String key, Minibatch batch, int serializedBytes);
}
