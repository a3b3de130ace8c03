package dev.streamtrain.server;

import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;

import java.util.Optional;

/** {@code latest}: every committed snapshot is served as soon as it is read. */
final class LatestSnapshotChoice implements SnapshotChoice {

    @Override
    public Optional<ServedModel> onSnapshot(WeightSnapshot snapshot) {
        return Optional.of(new ServedModel(snapshot, ServePolicy.LATEST, null));
    }

    @Override
    public Optional<ServedModel> onMetrics(TestMetrics metrics) {
        return Optional.empty();
    }

    @Override
    public boolean needsMetrics() {
        return false;
    }
}
