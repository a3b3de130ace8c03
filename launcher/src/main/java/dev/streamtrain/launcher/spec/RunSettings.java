package dev.streamtrain.launcher.spec;

/**
 * A run's seed and snapshot interval, from settings.
 *
 * @param seed          seed of the initialisation, the dropout masks and the producer's shuffle (default 42)
 * @param snapshotEvery also snapshot every this many steps (default 0: only at epoch ends)
 */
public record RunSettings(long seed, int snapshotEvery) {

    public static final long DEFAULT_SEED = 42;

    public static RunSettings from(SpecSettings settings) {
        return new RunSettings(settings.longValue(SpecKeys.SEED, DEFAULT_SEED),
                StreamSettings.atLeast(0, settings, SpecKeys.SNAPSHOT_EVERY, 0));
    }
}
