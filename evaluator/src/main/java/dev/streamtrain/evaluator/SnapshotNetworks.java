package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.loss.Losses;

import java.util.HashMap;
import java.util.Map;

/**
 * The network of a snapshot, as the evaluator computes it: built by the engine its run spec records,
 * for the architecture and loss it records, holding the snapshot's parameters. One network per
 * architecture, loss and engine is kept and reloaded with each snapshot's parameters (not again
 * for the snapshot it already holds). Not thread-safe, as networks are not: one per thread.
 */
public final class SnapshotNetworks {

    private final Map<NetworkKey, Loaded> networks = new HashMap<>();

    /** Networks are shared by runs of the same architecture, loss and engine. */
    private record NetworkKey(Architecture architecture, String loss, String engine) {
    }

    /** A network and the SHA-256 of the parameters it holds. */
    private static final class Loaded {
        final Network network;
        String sha256;

        Loaded(Network network) {
            this.network = network;
        }
    }

    /** The network of {@code snapshot}'s run, holding its parameters; fails if its spec cannot build it. */
    public Network load(WeightSnapshot snapshot) {
        RunSpec spec = snapshot.spec();
        Architecture architecture = spec.architecture();
        if (architecture == null) {
            throw new IllegalArgumentException(snapshot + ": its run spec records no architecture for model "
                    + spec.model());
        }
        if (!architecture.layout().equals(snapshot.layout())) {
            throw new IllegalArgumentException(snapshot + " has layout " + snapshot.layout() + " but model "
                    + spec.model() + " has " + architecture.layout());
        }
        Loaded loaded = networks.computeIfAbsent(new NetworkKey(architecture, spec.loss(), spec.engine()),
                key -> new Loaded(Engines.get(key.engine()).create(key.architecture(), Losses.get(key.loss()))));
        if (!snapshot.parametersSha256().equals(loaded.sha256)) {
            loaded.sha256 = null; // a failed load leaves no claim on what the network holds
            loaded.network.setParameters(snapshot.parameters());
            loaded.sha256 = snapshot.parametersSha256();
        }
        return loaded.network;
    }
}
