package dev.streamtrain.trainer;

import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.TensorBatch;

import java.util.List;

/**
 * A minibatch of the run's stream and where it was read from; {@code prepared}, when not null, its
 * tensors made ahead of time ({@link ReadAheadFeed}) with the transforms they were made with.
 */
public record StreamedBatch(Minibatch batch, String topic, int partition, long offset, Prepared prepared) {

    public StreamedBatch(Minibatch batch, String topic, int partition, long offset) {
        this(batch, topic, partition, offset, null);
    }

    /** {@link ToTensor} and {@code transforms} applied to the batch: the prepared tensors when they were made so. */
    public TensorBatch tensors(List<TensorTransform> transforms) {
        if (prepared != null && prepared.transforms().equals(transforms)) {
            return prepared.tensors();
        }
        return ToTensor.apply(batch, transforms);
    }

    StreamedBatch withTensors(List<TensorTransform> transforms, TensorBatch tensors) {
        return new StreamedBatch(batch, topic, partition, offset, new Prepared(transforms, tensors));
    }

    /** Tensors of the batch, made with {@code transforms}. */
    public record Prepared(List<TensorTransform> transforms, TensorBatch tensors) {
    }
}
