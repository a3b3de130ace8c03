package dev.streamtrain.contracts.transform;

import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.Shape;

import java.util.List;

/**
 * torchvision's {@code ToTensor()} on a minibatch as it came off the wire: uint8 pixels to float32
 * in [0, 1] ({@code pixel / 255f}), in the record's sample-major, row-major (NCHW) order, then the
 * run's further transforms ({@code Normalize}) in order. Applied where batches are consumed
 * (trainer, evaluator), so the wire keeps uint8 pixels.
 */
public final class ToTensor {

    private ToTensor() {
    }

    public static TensorBatch apply(Minibatch batch) {
        return apply(batch, List.of());
    }

    /** {@code Compose([ToTensor()] + transforms)} applied to {@code batch}. */
    public static TensorBatch apply(Minibatch batch, List<TensorTransform> transforms) {
        int[] labels = new int[batch.sampleCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = batch.label(i);
        }
        return apply(batch.pixels(), Shape.of(batch.sampleShape()), labels, batch.numClasses(), transforms);
    }

    /**
     * {@code Compose([ToTensor()] + transforms)} applied to {@code labels.length} samples of
     * {@code sampleShape}, their uint8 {@code pixels} sample-major and row-major (NCHW) as a
     * minibatch record holds them: the same path for samples that did not come in a minibatch
     * (a prediction request), so that they become exactly the tensors a minibatch's would.
     */
    public static TensorBatch apply(byte[] pixels, Shape sampleShape, int[] labels, int classes,
                                    List<TensorTransform> transforms) {
        float[] values = new float[pixels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (pixels[i] & 0xFF) / 255f;
        }
        for (TensorTransform transform : transforms) {
            transform.apply(values, sampleShape);
        }
        return new TensorBatch(values, labels, sampleShape, classes);
    }
}
