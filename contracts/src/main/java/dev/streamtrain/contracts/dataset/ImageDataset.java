package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;

import java.util.Objects;

/**
 * One split of an image-classification dataset held in memory as the files store it: uint8 pixels,
 * sample-major, each sample {@code sampleShape} (C, H, W), and one uint8 label per sample.
 */
public record ImageDataset(String name, Split split, int[] sampleShape, byte[] pixels, byte[] labels,
                           int numClasses) {

    public ImageDataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(split, "split");
        sampleShape = sampleShape.clone();
        long sampleSize = 1;
        for (int d : sampleShape) {
            sampleSize *= d;
        }
        if (sampleSize * labels.length != pixels.length) {
            throw new IllegalArgumentException(name + " " + split + ": " + labels.length + " labels but "
                    + pixels.length + " pixel bytes (expected " + sampleSize * labels.length + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= numClasses) {
                throw new IllegalArgumentException(name + " " + split + ": label of sample " + i + " is "
                        + (labels[i] & 0xFF) + ", outside [0, " + numClasses + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int sampleSize() {
        int size = 1;
        for (int d : sampleShape) {
            size *= d;
        }
        return size;
    }

    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }
}
