package dev.streamtrain.contracts.run;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The optimizer of a run and its hyperparameters. Version 1 knows plain SGD, the tutorial's
 * {@code torch.optim.SGD(model.parameters(), lr=1e-3)}; fields for later optimizers are optional.
 */
public record OptimizerSpec(String name, double learningRate) {

    public static final String SGD = "sgd";
    public static final Set<String> KNOWN = Set.of(SGD);

    public OptimizerSpec {
        Objects.requireNonNull(name, "optimizer.name");
        name = name.toLowerCase(Locale.ROOT);
        if (!KNOWN.contains(name)) {
            throw new IllegalArgumentException("optimizer.name '" + name + "' is not known; use one of " + KNOWN);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("optimizer.learningRate must be a finite number > 0, got "
                    + learningRate + " (the tutorial uses 1e-3)");
        }
    }

    public static OptimizerSpec sgd(double learningRate) {
        return new OptimizerSpec(SGD, learningRate);
    }
}
