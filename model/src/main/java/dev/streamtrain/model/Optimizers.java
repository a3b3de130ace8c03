package dev.streamtrain.model;

import dev.streamtrain.contracts.run.OptimizerSpec;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/** Maps a run spec's optimizer onto DL4J's updater configuration. */
public final class Optimizers {

    private Optimizers() {
    }

    public static IUpdater updater(OptimizerSpec spec) {
        return switch (spec.name()) {
            case OptimizerSpec.SGD -> new Sgd(spec.learningRate());
            default -> throw new IllegalArgumentException("optimizer '" + spec.name() + "' has no DL4J updater");
        };
    }
}
