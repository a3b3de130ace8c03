package dev.streamtrain.contracts.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EpochLossTest {

    @Test
    void meanIsTheSumOverTheBatches() {
        EpochLoss loss = EpochLoss.NONE.plus(2.5).plus(1.5).plus(0.5);
        assertThat(loss).isEqualTo(new EpochLoss(4.5, 3));
        assertThat(loss.mean()).isEqualTo(1.5);
    }

    @Test
    void addsInTheOrderAnUninterruptedEpochWould() {
        // (a + b) + c, not a + (b + c): a resumed epoch must hold bit for bit the sum an uninterrupted one holds
        EpochLoss resumed = new EpochLoss(0.1 + 0.2, 2).plus(0.3);
        assertThat(resumed.sum()).isEqualTo(EpochLoss.NONE.plus(0.1).plus(0.2).plus(0.3).sum())
                .isNotEqualTo(0.1 + (0.2 + 0.3));
    }

    @Test
    void noBatchesOrAnUnknownSumHaveNoMean() {
        assertThat(EpochLoss.NONE.mean()).isNaN();
        assertThat(EpochLoss.UNKNOWN.mean()).isNaN();
        assertThat(EpochLoss.UNKNOWN.plus(0.7).mean()).isNaN();
    }

    @Test
    void rejectsANegativeBatchCount() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EpochLoss(1, -1))
                .withMessage("train loss batches must be >= 0, got -1");
    }
}
