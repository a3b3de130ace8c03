package dev.streamtrain.trainer;

import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.TensorBatch;

import java.util.List;

/**
 * A minibatch of the run's stream and where it was read from; {@code prepared}, when not null, its
 * tensors made ahead of time ({@link ReadAheadFeed}) with the transforms they were made with. Or,
 * with {@link #skipped}, a record of the stream that did not decode and was skipped
 * ({@link BadMinibatchPolicy#SKIP}): {@code batch} is then null and {@code skippedBecause} says why.
 */
public record StreamedBatch(Minibatch batch, String topic, int partition, long offset, Prepared prepared,
                            String skippedBecause) {

    public StreamedBatch(Minibatch batch, String topic, int partition, long offset) {
        this(batch, topic, partition, offset, null, null);
    }

    public StreamedBatch(Minibatch batch, String topic, int partition, long offset, Prepared prepared) {
        this(batch, topic, partition, offset, prepared, null);
    }

    /** The record at {@code offset}, of the stream but not a minibatch, skipped for {@code why}. */
    public static StreamedBatch skipped(String topic, int partition, long offset, String why) {
        return new StreamedBatch(null, topic, partition, offset, null, why);
    }

    /** Whether this is a skipped record rather than a minibatch. */
    public boolean isSkipped() {
        return skippedBecause != null;
    }

    /** {@code topic-partition offset N}, for messages. */
    public String where() {
        return topic + "-" + partition + " offset " + offset;
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
