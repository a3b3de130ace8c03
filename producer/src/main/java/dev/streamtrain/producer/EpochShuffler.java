package dev.streamtrain.producer;

import java.util.SplittableRandom;

/**
 * The seeded permutations of a stream, specified in docs/wire-format.md (section 3.4) so that a
 * producer in another language makes the same stream byte for byte: Fisher-Yates over
 * {@code 0..n-1} driven by {@code java.util.SplittableRandom(seed * 1000003 + epoch)} (SplitMix64).
 * Epoch 0 is the validation split's permutation ({@code random_split}); epochs 1, 2, ... are the
 * shuffles of {@code DataLoader(shuffle=True)}, a fresh one every epoch.
 */
public final class EpochShuffler {

    private final long seed;
    private final boolean shuffle;

    public EpochShuffler(long seed, boolean shuffle) {
        this.seed = seed;
        this.shuffle = shuffle;
    }

    /** Positions {@code 0..n-1} in the order 1-based {@code epoch} visits them: permuted if shuffling, else in order. */
    public int[] order(int epoch, int n) {
        return shuffle ? permutation(seed, epoch, n) : identity(n);
    }

    /** The permutation of {@code 0..n-1} for {@code seed} and {@code epoch} (0: the validation split's). */
    public static int[] permutation(long seed, int epoch, int n) {
        int[] order = identity(n);
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
