package dev.streamtrain.server;

import dev.streamtrain.contracts.wire.WeightSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code best}: swaps only to a snapshot measured better than the served one, in whatever order records come. */
class BestSnapshotChoiceTest {

    private static final WeightSnapshot S1 = ServerFixtures.snapshot("r", 1);
    private static final WeightSnapshot S2 = ServerFixtures.snapshot("r", 2);
    private static final WeightSnapshot S3 = ServerFixtures.snapshot("r", 3);

    private static long served(Optional<ServedModel> model) {
        return model.map(ServedModel::step).orElse(-1L);
    }

    @Test
    void nothingIsServedBeforeItsMetricsAndThenOnlyWhatIsBetterByTestLoss() {
        BestSnapshotChoice best = new BestSnapshotChoice();
        assertThat(served(best.onSnapshot(S1))).as("not measured yet").isEqualTo(-1);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S1, 2.0, null)))).isEqualTo(1);
        assertThat(served(best.onSnapshot(S2))).isEqualTo(-1);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S2, 2.5, null)))).as("worse").isEqualTo(-1);
        assertThat(served(best.onSnapshot(S3))).isEqualTo(-1);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S3, 2.0, null)))).as("a tie keeps it").isEqualTo(-1);
    }

    @Test
    void metricsBeforeTheirSnapshotWaitForIt() {
        BestSnapshotChoice best = new BestSnapshotChoice();
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S2, 1.0, null)))).isEqualTo(-1);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S1, 3.0, null)))).isEqualTo(-1);
        assertThat(served(best.onSnapshot(S1))).isEqualTo(1);
        Optional<ServedModel> two = best.onSnapshot(S2);
        assertThat(served(two)).isEqualTo(2);
        assertThat(two.get().evaluation().avgLoss()).isEqualTo(1.0);
        assertThat(two.get().policy()).isEqualTo(ServePolicy.BEST);
    }

    @Test
    void theValidationLossDecidesWhereThereIsOneAndANaNNeverWins() {
        BestSnapshotChoice best = new BestSnapshotChoice();
        best.onSnapshot(S1);
        best.onSnapshot(S2);
        best.onSnapshot(S3);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S1, 9.0, Double.NaN)))).as("NaN").isEqualTo(-1);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S2, 9.0, 1.5)))).isEqualTo(2);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(S3, 0.1, 1.6))))
                .as("a lower test loss does not count where there is a validation loss").isEqualTo(-1);
        WeightSnapshot s4 = ServerFixtures.snapshot("r", 4);
        best.onSnapshot(s4);
        assertThat(served(best.onMetrics(ServerFixtures.metrics(s4, 9.9, 1.4)))).isEqualTo(4);
        assertThat(BestSnapshotChoice.loss(ServerFixtures.metrics(s4, 9.9, null))).isEqualTo(9.9);
    }
}
