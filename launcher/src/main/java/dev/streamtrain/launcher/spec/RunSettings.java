package dev.streamtrain.launcher.spec;

import dev.streamtrain.model.Engines;

/**
 * A run's seed, snapshot interval, what its progress lines show and the engine that computes it,
 * from settings.
 *
 * @param seed          seed of the initialisation, the dropout masks and the producer's split and shuffles
 *                      (default 42)
 * @param snapshotEvery also snapshot every this many steps (default 0: only at epoch ends)
 * @param printAccuracy print each reported batch's training accuracy with its loss (default false)
 * @param engine        the engine that computes the network, one on the class path, or (default)
 *                      {@code auto}: the fastest that computes it, resolved when the network is known
 */
public record RunSettings(long seed, int snapshotEvery, boolean printAccuracy, String engine) {

    public static final long DEFAULT_SEED = 42;

    public static RunSettings from(SpecSettings settings) {
        return new RunSettings(settings.longValue(SpecKeys.SEED, DEFAULT_SEED),
                StreamSettings.atLeast(0, settings, SpecKeys.SNAPSHOT_EVERY, 0),
                settings.booleanValue(SpecKeys.PRINT_ACCURACY, false), engine(settings, Engines.AUTO));
    }

    /** The engine {@code settings} name, else {@code otherwise}; fails naming the known ones and where it was set. */
    public static String engine(SpecSettings settings, String otherwise) {
        String engine = settings.text(SpecKeys.ENGINE).orElse(otherwise);
        try {
            Engines.requireKnown(engine);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + settings.get(SpecKeys.ENGINE)
                    .map(s -> " (set by " + s.source() + ")").orElse(""), e);
        }
        return engine;
    }
}
