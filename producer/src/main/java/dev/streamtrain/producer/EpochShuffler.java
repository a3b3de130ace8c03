package dev.streamtrain.producer;

import java.util.SplittableRandom;

/**
 * The sample order of each epoch, like {@code DataLoader(shuffle=True)}: a fresh permutation every
 * epoch, derived from the seed and the epoch number only, so a stream is the same every time it
 * is produced.
 */
public final class EpochShuffler {

    private final long seed;
    private final boolean shuffle;

    public EpochShuffler(long seed, boolean shuffle) {
        this.seed = seed;
        this.shuffle = shuffle;
    }

    /** Sample indexes in the order epoch {@code epoch} (1-based) visits them. */
    public int[] order(int epoch, int datasetSize) {
        int[] order = new int[datasetSize];
        for (int i = 0; i < datasetSize; i++) {
            order[i] = i;
        }
        if (shuffle) {
            // Fisher-Yates with a generator seeded per epoch.
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = datasetSize - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }
}
