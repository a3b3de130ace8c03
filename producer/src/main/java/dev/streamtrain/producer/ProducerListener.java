package dev.streamtrain.producer;

import dev.streamtrain.contracts.wire.Minibatch;

/** Told of every minibatch the broker acknowledged, e.g. to count it in metrics. */
@FunctionalInterface
public interface ProducerListener {

    ProducerListener NONE = (topic, batch, bytes) -> { };

    void onBatchAcked(String topic, Minibatch batch, int serializedBytes);
}
