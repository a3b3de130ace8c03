package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotNetworksTest {

    @BeforeAll
    static void oneThread() {
        Engines.setMathThreads(Engines.AUTO, 1);
    }

    @Test
    void aSnapshotsNetworkPredictsWhatTheTrainedNetworkDoesAndIsSharedAcrossSnapshots() {
        Network early = Fixtures.trained(2);
        Network later = Fixtures.trained(6);
        WeightSnapshot first = Fixtures.snapshot("r", early, 1, 2, false);
        WeightSnapshot second = Fixtures.snapshot("r", later, 1, 6, true);
        Minibatch batch = Fixtures.testSet(40, 40).batches().get(0);
        SnapshotNetworks networks = new SnapshotNetworks();

        Network loaded = networks.load(first);
        assertThat(loaded.predict(ToTensor.apply(batch))).containsExactly(early.predict(ToTensor.apply(batch)));
        assertThat(networks.load(second)).as("one network per architecture, loss and engine").isSameAs(loaded);
        assertThat(loaded.parameters()).isEqualTo(second.parameters());
        assertThat(loaded.predict(ToTensor.apply(batch))).containsExactly(later.predict(ToTensor.apply(batch)));
        assertThat(networks.load(first).parameters()).isEqualTo(first.parameters());
    }
}
