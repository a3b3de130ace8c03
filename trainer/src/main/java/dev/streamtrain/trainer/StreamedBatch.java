package dev.streamtrain.trainer;

import dev.streamtrain.contracts.wire.Minibatch;

/** A minibatch of the run's stream and where it was read from. */
public record StreamedBatch(Minibatch batch, String topic, int partition, long offset) {
}
