package dev.streamtrain.producer;

import dev.streamtrain.contracts.wire.Sampling;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamPlanTest {

    private static int[] sorted(int[] a) {
        return Arrays.stream(a).sorted().toArray();
    }

    private static int[] range(int n) {
        return IntStream.range(0, n).toArray();
    }

    @Test
    void validationAndTrainingAreDisjointAndTogetherEveryIndexOnce() {
        StreamPlan plan = new StreamPlan(1000, new Sampling(true, false, 42, 100), 64);
        int[] train = plan.trainIndexes();
        int[] validation = plan.validationIndexes();
        assertThat(train).hasSize(900);
        assertThat(validation).hasSize(100);
        assertThat(plan.trainSize()).isEqualTo(900);
        assertThat(Arrays.stream(train).boxed().toList()).doesNotContainAnyElementsOf(
                Arrays.stream(validation).boxed().toList());
        int[] all = IntStream.concat(Arrays.stream(train), Arrays.stream(validation)).toArray();
        assertThat(sorted(all)).isEqualTo(range(1000));
    }

    @Test
    void theSplitIsRandomSplitsOrderOfTheEpochZeroPermutation() {
        int[] permutation = EpochShuffler.permutation(42, 0, 1000);
        StreamPlan plan = new StreamPlan(1000, new Sampling(true, false, 42, 100), 64);
        assertThat(plan.validationIndexes()).isEqualTo(Arrays.copyOfRange(permutation, 900, 1000));
        assertThat(plan.trainIndexes()).isEqualTo(Arrays.copyOfRange(permutation, 0, 900));
    }

    /** Pins the composition for other languages: split = permutation(42, 0, 10), epoch e = train[permutation(42, e, 7)]. */
    @Test
    void aSmallPlanIsPinned() {
        StreamPlan plan = new StreamPlan(10, new Sampling(true, false, 42, 3), 4);
        assertThat(plan.validationIndexes()).containsExactly(8, 3, 5);
        assertThat(plan.trainIndexes()).containsExactly(7, 4, 0, 9, 1, 2, 6);
        assertThat(plan.epochOrder(1)).containsExactly(9, 7, 6, 2, 0, 4, 1);
        assertThat(plan.epochOrder(2)).containsExactly(1, 9, 0, 2, 4, 7, 6);
    }

    @Test
    void withoutASplitTrainingIsTheFileInOrderAndUnshuffledEpochsKeepIt() {
        StreamPlan plan = new StreamPlan(10, new Sampling(false, false, 42, 0), 3);
        assertThat(plan.validationIndexes()).isEmpty();
        assertThat(plan.trainIndexes()).isEqualTo(range(10));
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertThat(plan.epochOrder(epoch)).as("epoch %d", epoch).isEqualTo(range(10));
        }
    }

    @Test
    void unshuffledEpochsWithASplitKeepTheSplitsTrainingOrder() {
        StreamPlan plan = new StreamPlan(100, new Sampling(false, false, 42, 10), 8);
        assertThat(plan.epochOrder(1)).isEqualTo(plan.trainIndexes()).isEqualTo(plan.epochOrder(2));
        assertThat(plan.trainIndexes()).isNotEqualTo(range(90));
    }

    @Test
    void shuffledEpochsDifferAndArePermutationsOfTheTrainingSubset() {
        StreamPlan plan = new StreamPlan(1000, new Sampling(true, false, 42, 100), 64);
        int[] train = sorted(plan.trainIndexes());
        int[] first = plan.epochOrder(1);
        int[] second = plan.epochOrder(2);
        assertThat(sorted(first)).isEqualTo(train);
        assertThat(sorted(second)).isEqualTo(train);
        assertThat(first).isNotEqualTo(second).isNotEqualTo(plan.trainIndexes());
    }

    @Test
    void shuffledEpochsWithoutASplitArePermutationsOfTheWholeFile() {
        StreamPlan plan = new StreamPlan(500, new Sampling(true, false, 3, 0), 64);
        assertThat(sorted(plan.epochOrder(1))).isEqualTo(range(500));
        assertThat(plan.epochOrder(1)).isEqualTo(EpochShuffler.permutation(3, 1, 500));
    }

    @Test
    void theSameSeedGivesTheSamePlanAnotherSeedAnother() {
        StreamPlan a = new StreamPlan(1000, new Sampling(true, false, 42, 100), 64);
        StreamPlan b = new StreamPlan(1000, new Sampling(true, false, 42, 100), 64);
        StreamPlan c = new StreamPlan(1000, new Sampling(true, false, 43, 100), 64);
        assertThat(a.validationIndexes()).isEqualTo(b.validationIndexes());
        assertThat(a.epochOrder(1)).isEqualTo(b.epochOrder(1));
        assertThat(a.epochOrder(3)).isEqualTo(b.epochOrder(3));
        assertThat(a.validationIndexes()).isNotEqualTo(c.validationIndexes());
        assertThat(a.epochOrder(1)).isNotEqualTo(c.epochOrder(1));
    }

    @Test
    void dropLastDropsTheSmallerLastBatch() {
        assertThat(new StreamPlan(10, new Sampling(true, false, 1, 0), 3).batchesPerEpoch()).isEqualTo(4);
        assertThat(new StreamPlan(10, new Sampling(true, true, 1, 0), 3).batchesPerEpoch()).isEqualTo(3);
        // an even split drops nothing
        assertThat(new StreamPlan(9, new Sampling(true, true, 1, 0), 3).batchesPerEpoch()).isEqualTo(3);
        // counted over the training subset: 10 - 2 = 8 samples
        assertThat(new StreamPlan(10, new Sampling(true, false, 1, 2), 3).batchesPerEpoch()).isEqualTo(3);
        assertThat(new StreamPlan(10, new Sampling(true, true, 1, 2), 3).batchesPerEpoch()).isEqualTo(2);
    }

    @Test
    void dropLastThatDropsEverySampleIsRejected() {
        assertThatThrownBy(() -> new StreamPlan(10, new Sampling(true, true, 1, 0), 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drop_last");
        assertThatThrownBy(() -> new StreamPlan(10, new Sampling(false, true, 1, 5), 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drop_last");
        // without drop_last the one small batch is kept
        assertThat(new StreamPlan(10, new Sampling(true, false, 1, 0), 11).batchesPerEpoch()).isEqualTo(1);
    }

    @Test
    void aSplitLeavingNoTrainingSamplesIsRejected() {
        assertThatThrownBy(() -> new StreamPlan(10, new Sampling(true, false, 1, 10), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation split of 10");
        assertThatThrownBy(() -> new StreamPlan(10, new Sampling(true, false, 1, 11), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation split of 11");
        assertThat(new StreamPlan(10, new Sampling(true, false, 1, 9), 3).trainSize()).isEqualTo(1);
    }

    @Test
    void batchSizeMustBePositive() {
        assertThatThrownBy(() -> new StreamPlan(10, Sampling.IN_ORDER, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size must be >= 1");
    }

    @Test
    void returnedIndexesAreCopies() {
        StreamPlan plan = new StreamPlan(10, new Sampling(true, false, 42, 3), 4);
        plan.validationIndexes()[0] = -1;
        plan.trainIndexes()[0] = -1;
        assertThat(plan.validationIndexes()).containsExactly(8, 3, 5);
        assertThat(plan.trainIndexes()[0]).isEqualTo(7);
    }
}
