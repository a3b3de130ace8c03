package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The first minibatches of a training set, in file order, as tensors ({@code ToTensor()} and the
 * recipe's transforms applied): what the in-memory step figures train on, built before timing.
 * The PyTorch peer builds the same batches from the same files.
 */
final class PrebuiltBatches {

    private PrebuiltBatches() {
    }

    static List<TensorBatch> first(ImageDataset train, int batchSize, int count, List<TensorTransform> transforms) {
        int available = train.size() / batchSize;
        if (available < 1) {
            throw new IllegalArgumentException("the training set holds " + train.size() + " samples, fewer than one "
                    + "batch of " + batchSize);
        }
        Shape shape = Shape.of(train.sampleShape());
        int sampleSize = train.sampleSize();
        List<TensorBatch> batches = new ArrayList<>();
        for (int b = 0; b < Math.min(count, available); b++) {
            float[] values = new float[batchSize * sampleSize];
            byte[] pixels = train.pixels();
            int from = b * batchSize * sampleSize;
            for (int i = 0; i < values.length; i++) {
                values[i] = (pixels[from + i] & 0xFF) / 255f;
            }
            for (TensorTransform transform : transforms) {
                transform.apply(values, shape);
            }
            int[] labels = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                labels[i] = train.labels()[b * batchSize + i] & 0xFF;
            }
            batches.add(new TensorBatch(values, labels, shape, train.numClasses()));
        }
        return batches;
    }
}
