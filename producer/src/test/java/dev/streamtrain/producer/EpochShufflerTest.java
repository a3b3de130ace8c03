package dev.streamtrain.producer;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class EpochShufflerTest {

    @Test
    void everyEpochIsAPermutationOfAllSamples() {
        EpochShuffler shuffler = new EpochShuffler(42, true);
        for (int epoch = 1; epoch <= 3; epoch++) {
            int[] order = shuffler.order(epoch, 1000);
            assertThat(Arrays.stream(order).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
            assertThat(order).isNotEqualTo(IntStream.range(0, 1000).toArray());
        }
    }

    @Test
    void orderDependsOnSeedAndEpochOnly() {
        assertThat(new EpochShuffler(42, true).order(2, 500)).isEqualTo(new EpochShuffler(42, true).order(2, 500));
        assertThat(new EpochShuffler(42, true).order(2, 500)).isNotEqualTo(new EpochShuffler(42, true).order(3, 500));
        assertThat(new EpochShuffler(42, true).order(2, 500)).isNotEqualTo(new EpochShuffler(7, true).order(2, 500));
    }

    @Test
    void withoutShuffleTheDatasetOrderIsKept() {
        assertThat(new EpochShuffler(42, false).order(5, 10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aShufflingEpochIsThatEpochsPermutation() {
        assertThat(new EpochShuffler(42, true).order(3, 50)).isEqualTo(EpochShuffler.permutation(42, 3, 50));
    }

    /**
     * Golden values: docs/wire-format.md (section 3.4) specifies this algorithm for producers in other
     * languages (Fisher-Yates from the end, {@code j = SplittableRandom(seed * 1000003 + epoch).nextInt(i + 1)}),
     * so these literals must never change. They were computed once with {@link EpochShuffler#permutation}.
     */
    @Test
    void permutationsArePinnedForOtherLanguages() {
        assertThat(EpochShuffler.permutation(42, 0, 10)).containsExactly(7, 4, 0, 9, 1, 2, 6, 8, 3, 5);
        assertThat(EpochShuffler.permutation(42, 1, 10)).containsExactly(3, 0, 6, 7, 1, 2, 8, 5, 4, 9);
        assertThat(EpochShuffler.permutation(42, 2, 10)).containsExactly(3, 2, 4, 7, 0, 5, 1, 8, 6, 9);
        assertThat(EpochShuffler.permutation(7, 0, 10)).containsExactly(4, 2, 5, 0, 6, 1, 9, 7, 8, 3);
    }

    @Test
    void degenerateSizesAreIdentity() {
        assertThat(EpochShuffler.permutation(42, 1, 0)).isEmpty();
        assertThat(EpochShuffler.permutation(42, 1, 1)).containsExactly(0);
    }
}
