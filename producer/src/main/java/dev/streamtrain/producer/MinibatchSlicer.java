package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.wire.Minibatch;

/**
 * Cuts a dataset into the minibatches of one epoch, in a given sample order. The last batch keeps
 * the remainder, as {@code DataLoader(drop_last=False)} does.
 */
public final class MinibatchSlicer {

    private final ImageDataset dataset;
    private final int batchSize;

    public MinibatchSlicer(ImageDataset dataset, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
    }

    public int batchesPerEpoch() {
        return (dataset.size() + batchSize - 1) / batchSize;
    }

    /** Batch {@code batchIndex} of epoch {@code epoch} of {@code epochs}, samples taken in {@code order}. */
    public Minibatch batch(int epoch, int epochs, int batchIndex, int[] order) {
        int from = batchIndex * batchSize;
        int count = Math.min(batchSize, dataset.size() - from);
        int sampleSize = dataset.sampleSize();
        byte[] pixels = new byte[count * sampleSize];
        byte[] labels = new byte[count];
        byte[] sourcePixels = dataset.pixels();
        byte[] sourceLabels = dataset.labels();
        for (int i = 0; i < count; i++) {
            int sample = order[from + i];
            System.arraycopy(sourcePixels, sample * sampleSize, pixels, i * sampleSize, sampleSize);
            labels[i] = sourceLabels[sample];
        }
        return new Minibatch(dataset.name(), dataset.split(), epoch, epochs, batchIndex, batchesPerEpoch(),
                dataset.size(), dataset.numClasses(), dataset.sampleShape(), pixels, labels);
    }
}
