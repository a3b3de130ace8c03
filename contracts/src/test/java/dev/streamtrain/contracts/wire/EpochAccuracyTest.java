package dev.streamtrain.contracts.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EpochAccuracyTest {

    @Test
    void countsCorrectSamplesBatchAfterBatch() {
        EpochAccuracy accuracy = EpochAccuracy.NONE.plus(50, 64).plus(60, 64).plus(10, 32);
        assertThat(accuracy).isEqualTo(new EpochAccuracy(120, 160));
        assertThat(accuracy.known()).isTrue();
        assertThat(accuracy.mean()).isEqualTo(0.75);
    }

    @Test
    void countsExactlyWhereARunResumesFromItsSnapshot() {
        EpochAccuracy uninterrupted = EpochAccuracy.NONE.plus(3, 4).plus(1, 4).plus(4, 4);
        EpochAccuracy resumed = new EpochAccuracy(4, 8).plus(4, 4);
        assertThat(resumed).isEqualTo(uninterrupted);
    }

    @Test
    void nothingCountedHasNoMean() {
        assertThat(EpochAccuracy.NONE).isEqualTo(new EpochAccuracy(0, 0));
        assertThat(EpochAccuracy.NONE.known()).isTrue();
        assertThat(EpochAccuracy.NONE.mean()).isNaN();
    }

    @Test
    void unknownStaysUnknown() {
        assertThat(EpochAccuracy.UNKNOWN).isEqualTo(new EpochAccuracy(0, -1));
        assertThat(EpochAccuracy.UNKNOWN.known()).isFalse();
        assertThat(EpochAccuracy.UNKNOWN.mean()).isNaN();
        assertThat(EpochAccuracy.UNKNOWN.plus(64, 64)).isEqualTo(EpochAccuracy.UNKNOWN);
    }

    @Test
    void allAndNoneCorrectAreFractionsOneAndZero() {
        assertThat(new EpochAccuracy(64, 64).mean()).isEqualTo(1.0);
        assertThat(new EpochAccuracy(0, 64).mean()).isZero();
        assertThat(new EpochAccuracy(Long.MAX_VALUE, Long.MAX_VALUE).mean()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({"-1, 10", "11, 10", "1, 0", "0, -2", "1, -1", "-1, -1", "0, -9223372036854775808"})
    void rejectsCountsThatCannotBe(long correct, long samples) {
        assertThatIllegalArgumentException().isThrownBy(() -> new EpochAccuracy(correct, samples))
                .withMessage("train accuracy must count 0 <= correct <= samples (or be unknown: 0 of -1), got "
                        + correct + " of " + samples);
    }
}
