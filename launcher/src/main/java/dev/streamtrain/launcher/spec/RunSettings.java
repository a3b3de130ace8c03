package dev.streamtrain.launcher.spec;

/**
 * A run's seed, snapshot interval and what its progress lines show, from settings.
 *
 * @param seed          seed of the initialisation, the dropout masks and the producer's split and shuffles
 *                      (default 42)
 * @param snapshotEvery also snapshot every this many steps (default 0: only at epoch ends)
 * @param printAccuracy print each reported batch's training accuracy with its loss (default false)
 */
public record RunSettings(long seed, int snapshotEvery, boolean printAccuracy) {

    public static final long DEFAULT_SEED = 42;

    public static RunSettings from(SpecSettings settings) {
        return new RunSettings(settings.longValue(SpecKeys.SEED, DEFAULT_SEED),
                StreamSettings.atLeast(0, settings, SpecKeys.SNAPSHOT_EVERY, 0),
                settings.booleanValue(SpecKeys.PRINT_ACCURACY, false));
    }
}
