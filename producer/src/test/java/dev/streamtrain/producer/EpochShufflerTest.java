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
}
