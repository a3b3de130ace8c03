package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;

/**
 * Cuts samples of a dataset file into the minibatches of one epoch of one split: batch {@code b}
 * holds the samples at positions {@code [b * batchSize, (b + 1) * batchSize)} of a given order of
 * file indexes (the last batch keeps the rest, as {@code DataLoader(drop_last=False)}; with
 * {@code drop_last} the caller asks for fewer batches).
 */
public final class MinibatchSlicer {

    private final ImageDataset file;
    private final Split split;
    private final int datasetSize;
    private final int batchSize;
    private final int batchesPerEpoch;
    private final Sampling sampling;

    /**
     * @param file            the dataset file the indexes point into
     * @param split           the split the batches are of
     * @param datasetSize     samples in the split
     * @param batchSize       samples per batch
     * @param batchesPerEpoch batches per epoch
     * @param sampling        how the stream was made, written into every batch
     */
    public MinibatchSlicer(ImageDataset file, Split split, int datasetSize, int batchSize, int batchesPerEpoch,
                           Sampling sampling) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.file = file;
        this.split = split;
        this.datasetSize = datasetSize;
        this.batchSize = batchSize;
        this.batchesPerEpoch = batchesPerEpoch;
        this.sampling = sampling;
    }

    /** A whole file in its own order, every sample: a test set. */
    public static MinibatchSlicer inOrder(ImageDataset file, int batchSize) {
        return new MinibatchSlicer(file, file.split(), file.size(), batchSize, (file.size() + batchSize - 1) / batchSize,
                Sampling.IN_ORDER);
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Batch {@code batchIndex} of epoch {@code epoch} of {@code epochs}, samples taken in {@code order}. */
    public Minibatch batch(int epoch, int epochs, int batchIndex, int[] order) {
        int from = batchIndex * batchSize;
        int count = Math.min(batchSize, order.length - from);
        int sampleSize = file.sampleSize();
        byte[] pixels = new byte[count * sampleSize];
        byte[] labels = new byte[count];
        int[] indexes = new int[count];
        byte[] sourcePixels = file.pixels();
        byte[] sourceLabels = file.labels();
        for (int i = 0; i < count; i++) {
            int sample = order[from + i];
            System.arraycopy(sourcePixels, sample * sampleSize, pixels, i * sampleSize, sampleSize);
            labels[i] = sourceLabels[sample];
            indexes[i] = sample;
        }
        return new Minibatch(file.name(), split, epoch, epochs, batchIndex, batchesPerEpoch, datasetSize,
                file.numClasses(), file.sampleShape(), pixels, labels, sampling, indexes);
    }
}
