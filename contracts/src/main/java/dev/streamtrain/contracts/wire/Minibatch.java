package dev.streamtrain.contracts.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One minibatch as it travels on the minibatch and test-set topics: {@code sampleCount} samples of
 * {@code sampleShape} uint8 pixels (C, H, W) and one uint8 label each. Positions are 1-based epochs
 * and 0-based batch indexes, as in the tutorial's loop. The byte layout is in docs/wire-format.md.
 * A record of version 2 also says how its stream was made ({@link Sampling}) and where each sample
 * sits in the dataset's file; one read from a version 1 record knows neither (both null).
 *
 * @param dataset         dataset name, e.g. {@code fashion-mnist}
 * @param split           train, test or validation
 * @param epoch           1-based epoch this batch belongs to (always 1 for the test set)
 * @param epochs          how many epochs the stream holds in all (1 for the test set), or {@link #OPEN} (0) for
 *                        an open stream
 * @param batchIndex      0-based index of this batch within its epoch
 * @param batchesPerEpoch batches in one epoch (the last one may be partial, as in DataLoader)
 * @param datasetSize     samples in the split (60000 for Fashion-MNIST train; 54000 with a validation split
 *                        of 6000), {@code len(dataloader.dataset)}
 * @param numClasses      number of label classes (labels are in [0, numClasses))
 * @param sampleShape     shape of one sample, e.g. [1, 28, 28]
 * @param pixels          sampleCount x prod(sampleShape) bytes, sample-major, row-major
 * @param labels          sampleCount bytes
 * @param sampling        how the stream was made; null for a version 1 record
 * @param sampleIndexes   each sample's index in the dataset's file (train file for train and validation
 *                        batches, test file for test batches); null for a version 1 record
 */
public record Minibatch(String dataset, Split split, int epoch, int epochs, int batchIndex, int batchesPerEpoch,
                        int datasetSize, int numClasses, int[] sampleShape, byte[] pixels, byte[] labels,
                        Sampling sampling, int[] sampleIndexes) {

    /** A minibatch as a version 1 record holds it: no sampling, no sample indexes. */
    public Minibatch(String dataset, Split split, int epoch, int epochs, int batchIndex, int batchesPerEpoch,
                     int datasetSize, int numClasses, int[] sampleShape, byte[] pixels, byte[] labels) {
        this(dataset, split, epoch, epochs, batchIndex, batchesPerEpoch, datasetSize, numClasses, sampleShape, pixels,
                labels, null, null);
    }

    public static final int MAX_RANK = 8;
    /** {@code epochs} of an open stream, whose epochs go on for as long as its producer runs (record version 3). */
    public static final int OPEN = 0;

    public Minibatch {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(sampleShape, "sampleShape");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (dataset.isEmpty()) {
            throw new IllegalArgumentException("dataset name must not be empty");
        }
        if (epochs == OPEN) {
            if (epoch < 1) {
                throw new IllegalArgumentException("epoch of an open stream must be >= 1, got " + epoch);
            }
            if (split != Split.TRAIN || sampling == null) {
                throw new IllegalArgumentException("only training batches that say how their stream was made can "
                        + "belong to an open stream (epochs = 0), got a " + split.label() + " batch"
                        + (sampling == null ? " without sampling" : ""));
            }
        } else if (epochs < 1 || epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch must be in [1, epochs=" + epochs + "], got " + epoch);
        }
        if (batchesPerEpoch < 1 || batchIndex < 0 || batchIndex >= batchesPerEpoch) {
            throw new IllegalArgumentException("batchIndex must be in [0, batchesPerEpoch=" + batchesPerEpoch
                    + "), got " + batchIndex);
        }
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in [1, 256], got " + numClasses);
        }
        if (sampleShape.length < 1 || sampleShape.length > MAX_RANK) {
            throw new IllegalArgumentException("sampleShape must have 1.." + MAX_RANK + " dimensions, got "
                    + sampleShape.length);
        }
        long sampleSize = sampleSize(sampleShape);
        if (labels.length < 1) {
            throw new IllegalArgumentException("a minibatch holds at least one sample");
        }
        if (datasetSize < labels.length) {
            throw new IllegalArgumentException("datasetSize " + datasetSize + " is smaller than this batch's "
                    + labels.length + " samples");
        }
        if ((long) pixels.length != sampleSize * labels.length) {
            throw new IllegalArgumentException("pixels must hold sampleCount x prod(sampleShape) = " + labels.length
                    + " x " + sampleSize + " bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= numClasses) {
                throw new IllegalArgumentException("label of sample " + i + " is " + label + ", outside [0, "
                        + numClasses + ")");
            }
        }
        if ((sampling == null) != (sampleIndexes == null)) {
            throw new IllegalArgumentException("a minibatch has both sampling and sample indexes (version 2) or "
                    + "neither (version 1)");
        }
        if (sampleIndexes != null) {
            if (sampleIndexes.length != labels.length) {
                throw new IllegalArgumentException(labels.length + " samples but " + sampleIndexes.length
                        + " sample indexes");
            }
            for (int i = 0; i < sampleIndexes.length; i++) {
                if (sampleIndexes[i] < 0) {
                    throw new IllegalArgumentException("sample index " + i + " is " + sampleIndexes[i]
                            + ", must be >= 0");
                }
            }
        } else if (split == Split.VALIDATION) {
            throw new IllegalArgumentException("a validation batch carries its sampling (minibatch version 2)");
        }
    }

    /** True if the record says how its stream was made (version 2 on). */
    public boolean hasSampling() {
        return sampling != null;
    }

    public int sampleCount() {
        return labels.length;
    }

    /** Number of values in one sample, the product of {@link #sampleShape()}. */
    public int sampleSize() {
        return (int) sampleSize(sampleShape);
    }

    /** Label of sample {@code i}, as an int in [0, numClasses). */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** True for the last batch of its epoch. */
    public boolean endsEpoch() {
        return batchIndex == batchesPerEpoch - 1;
    }

    /** True for the last batch of the whole stream (never, in an open stream). */
    public boolean endsStream() {
        return !isOpen() && endsEpoch() && epoch == epochs;
    }

    /** Whether the batch belongs to an open stream: epochs go on for as long as its producer runs. */
    public boolean isOpen() {
        return epochs == OPEN;
    }

    static long sampleSize(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("sampleShape dimensions must be >= 1, got "
                        + Arrays.toString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("sampleShape " + Arrays.toString(shape) + " is too large");
            }
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Minibatch m && dataset.equals(m.dataset) && split == m.split && epoch == m.epoch
                && epochs == m.epochs && batchIndex == m.batchIndex && batchesPerEpoch == m.batchesPerEpoch
                && datasetSize == m.datasetSize && numClasses == m.numClasses
                && Arrays.equals(sampleShape, m.sampleShape) && Arrays.equals(pixels, m.pixels)
                && Arrays.equals(labels, m.labels) && Objects.equals(sampling, m.sampling)
                && Arrays.equals(sampleIndexes, m.sampleIndexes);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(dataset, split, epoch, epochs, batchIndex, batchesPerEpoch, datasetSize, numClasses);
        h = 31 * h + Arrays.hashCode(sampleShape);
        h = 31 * h + Arrays.hashCode(pixels);
        h = 31 * h + Arrays.hashCode(labels);
        return 31 * h + Arrays.hashCode(sampleIndexes);
    }

    @Override
    public String toString() {
        return "Minibatch[" + dataset + " " + split + " epoch " + epoch + "/" + (isOpen() ? "open" : epochs) + " batch "+ batchIndex
                + "/" + batchesPerEpoch + ", " + sampleCount() + " x " + Arrays.toString(sampleShape) + "]";
    }
}
