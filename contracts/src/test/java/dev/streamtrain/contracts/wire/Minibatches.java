package dev.streamtrain.contracts.wire;

/** Valid minibatches for tests. */
final class Minibatches {

    private Minibatches() {
    }

    /** {@code n} samples of {@code shape}, pixel i = i mod 256, label i = i mod numClasses. */
    static Minibatch of(String dataset, Split split, int numClasses, int n, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        byte[] pixels = new byte[n * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7 + 3);
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((numClasses - 1 - i % numClasses));
        }
        return new Minibatch(dataset, split, 2, 3, 1, 4, Math.max(n, 60000), numClasses, shape, pixels, labels);
    }

    /** {@code batch} as a version 2 record holds it: with {@code sampling}, sample i at file index {@code first + 3i}. */
    static Minibatch v2(Minibatch batch, Sampling sampling, int first) {
        return v2(batch, batch.split(), sampling, first);
    }

    /** As {@link #v2(Minibatch, Sampling, int)}, of {@code split} (a validation batch is version 2 only). */
    static Minibatch v2(Minibatch batch, Split split, Sampling sampling, int first) {
        int[] indexes = new int[batch.sampleCount()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = first + 3 * i;
        }
        return new Minibatch(batch.dataset(), split, batch.epoch(), batch.epochs(), batch.batchIndex(),
                batch.batchesPerEpoch(), batch.datasetSize(), batch.numClasses(), batch.sampleShape(), batch.pixels(),
                batch.labels(), sampling, indexes);
    }

    /** Two samples of shape [1, 2, 2] of "mnist": a minimal valid batch. */
    static Minibatch small() {
        return new Minibatch("mnist", Split.TRAIN, 1, 2, 0, 3, 10, 10, new int[] {1, 2, 2},
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, new byte[] {9, 0});
    }
}
