package dev.streamtrain.launcher.spec;

/**
 * How the producer cuts a dataset into a stream, like the tutorial's {@code DataLoader}: which
 * dataset, batch sizes, epochs, shuffling. From settings, with the tutorial's defaults.
 *
 * @param dataset       dataset name (default fashion-mnist)
 * @param batchSize     samples per training minibatch (default 64)
 * @param testBatchSize samples per test-set batch (default 64)
 * @param epochs        passes over the training set (default 10)
 * @param shuffle       a new seeded permutation each epoch (default true)
 */
public record StreamSettings(String dataset, int batchSize, int testBatchSize, int epochs, boolean shuffle) {

    public static final String DEFAULT_DATASET = "fashion-mnist";
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int DEFAULT_EPOCHS = 10;

    public static StreamSettings from(SpecSettings settings) {
        return new StreamSettings(settings.text(SpecKeys.DATASET).orElse(DEFAULT_DATASET),
                atLeast(1, settings, SpecKeys.BATCH_SIZE, DEFAULT_BATCH_SIZE),
                atLeast(1, settings, SpecKeys.TEST_BATCH_SIZE, DEFAULT_BATCH_SIZE),
                atLeast(1, settings, SpecKeys.EPOCHS, DEFAULT_EPOCHS),
                settings.booleanValue(SpecKeys.SHUFFLE, true));
    }

    /** {@code key}'s value, checked to be at least {@code min}; the error names the key and where it was set. */
    static int atLeast(int min, SpecSettings settings, String key, int otherwise) {
        int value = settings.intValue(key, otherwise);
        if (value < min) {
            throw new IllegalArgumentException(key + " must be >= " + min + ", got " + value + " (set by "
                    + settings.get(key).map(SpecSettings.Setting::source).orElse("default") + ")");
        }
        return value;
    }
}
