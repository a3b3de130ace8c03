package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.producer.MinibatchSlicer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The first full minibatches of a training set, in file order, as the trainer's tensors (the
 * producer's slicing, then {@code ToTensor()} and the recipe's transforms): what the in-memory step
 * figures train on, built before timing. The PyTorch peer builds the same batches from the same files.
 */
final class PrebuiltBatches {

    private PrebuiltBatches() {
    }

    static List<TensorBatch> first(ImageDataset train, int batchSize, int count, List<TensorTransform> transforms) {
        int full = train.size() / batchSize;
        if (full < 1) {
            throw new IllegalArgumentException("the training set holds " + train.size() + " samples, fewer than one "
                    + "batch of " + batchSize);
        }
        MinibatchSlicer slicer = MinibatchSlicer.inOrder(train, batchSize);
        int[] order = IntStream.range(0, train.size()).toArray(); // the file's order
        List<TensorBatch> batches = new ArrayList<>();
        for (int b = 0; b < Math.min(count, full); b++) {
            batches.add(ToTensor.apply(slicer.batch(1, 1, b, order), transforms));
        }
        return batches;
    }
}
