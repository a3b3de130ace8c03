package dev.streamtrain.model;

import dev.streamtrain.model.layer.Shape;

import java.util.Objects;

/**
 * A minibatch as a network takes it: {@code labels.length} samples of {@code sampleShape} float
 * values each, sample-major and row-major within a sample (the NCHW tensor torch would build),
 * and one class label per sample.
 */
public record TensorBatch(float[] features, int[] labels, Shape sampleShape, int classes) {

    public TensorBatch {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(sampleShape, "sampleShape");
        if (labels.length < 1) {
            throw new IllegalArgumentException("a batch holds at least one sample");
        }
        if ((long) labels.length * sampleShape.size() != features.length) {
            throw new IllegalArgumentException(labels.length + " samples of shape " + sampleShape + " need "
                    + (long) labels.length * sampleShape.size() + " values, got " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label of sample " + i + " is " + labels[i] + ", outside [0, "
                        + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }
}
