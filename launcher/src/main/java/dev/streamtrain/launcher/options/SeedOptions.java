package dev.streamtrain.launcher.options;

import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import picocli.CommandLine.Option;

/** {@code --seed}: the run's seed. */
public final class SeedOptions {

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the initialisation, the dropout masks and the shuffle (seed; default 42).")
    Long seed;

    public SpecSettings settings() {
        return SpecSettings.empty().putIfGiven(SpecKeys.SEED, seed, "--seed");
    }
}
