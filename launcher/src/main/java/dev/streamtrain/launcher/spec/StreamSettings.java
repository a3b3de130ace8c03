package dev.streamtrain.launcher.spec;

import dev.streamtrain.contracts.wire.Sampling;

import java.util.Optional;

/**
 * How the producer cuts a dataset into a stream, like the tutorial's {@code DataLoader}: which
 * dataset (and, for a dataset streamtrain does not know, its file format and classes), batch
 * sizes, epochs, shuffling, {@code drop_last} and the validation split. From settings, with
 * streamtrain's defaults.
 *
 * @param dataset       dataset name (default fashion-mnist)
 * @param datasetFormat the file format of a dataset given by directory ({@code idx}); empty: the registered dataset's
 * @param classes       number of classes of a dataset given by format and directory; 0: the registered dataset's
 * @param batchSize     samples per training minibatch (default 64)
 * @param testBatchSize samples per test-set and validation batch (default 64)
 * @param epochs        passes over the training set (default 10)
 * @param shuffle       a new seeded permutation each epoch (default true)
 * @param dropLast      drop each epoch's last, smaller batch, as {@code DataLoader(drop_last=True)} (default false)
 * @param valFraction   fraction of the training set carved off as the validation split (0: none)
 * @param valSize       samples carved off as the validation split (0: none; exclusive with valFraction)
 */
public record StreamSettings(String dataset, Optional<String> datasetFormat, int classes, int batchSize,
                             int testBatchSize, int epochs, boolean shuffle, boolean dropLast, double valFraction,
                             int valSize) {

    public static final String DEFAULT_DATASET = "fashion-mnist";
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int DEFAULT_EPOCHS = 10;

    public static StreamSettings from(SpecSettings settings) {
        double valFraction = settings.doubleValue(SpecKeys.VAL_FRACTION, 0);
        if (settings.get(SpecKeys.VAL_FRACTION).isPresent() && !(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException(SpecKeys.VAL_FRACTION + " must be in (0, 1), got " + valFraction
                    + " (set by " + source(settings, SpecKeys.VAL_FRACTION) + ")");
        }
        int valSize = settings.get(SpecKeys.VAL_SIZE).isPresent() ? atLeast(1, settings, SpecKeys.VAL_SIZE, 0) : 0;
        if (settings.get(SpecKeys.VAL_FRACTION).isPresent() && settings.get(SpecKeys.VAL_SIZE).isPresent()) {
            throw new IllegalArgumentException("set either " + SpecKeys.VAL_FRACTION + " (by "
                    + source(settings, SpecKeys.VAL_FRACTION) + ") or " + SpecKeys.VAL_SIZE + " (by "
                    + source(settings, SpecKeys.VAL_SIZE) + "), not both");
        }
        Optional<String> format = settings.text(SpecKeys.DATASET_FORMAT);
        int classes = settings.get(SpecKeys.CLASSES).isPresent() ? atLeast(1, settings, SpecKeys.CLASSES, 0) : 0;
        if (classes > 256) {
            throw new IllegalArgumentException(SpecKeys.CLASSES + " must be at most 256 (labels are bytes), got "
                    + classes + " (set by " + source(settings, SpecKeys.CLASSES) + ")");
        }
        return new StreamSettings(settings.text(SpecKeys.DATASET).orElse(DEFAULT_DATASET), format, classes,
                atLeast(1, settings, SpecKeys.BATCH_SIZE, DEFAULT_BATCH_SIZE),
                atLeast(1, settings, SpecKeys.TEST_BATCH_SIZE, DEFAULT_BATCH_SIZE),
                atLeast(1, settings, SpecKeys.EPOCHS, DEFAULT_EPOCHS),
                settings.booleanValue(SpecKeys.SHUFFLE, true),
                settings.booleanValue(SpecKeys.DROP_LAST, false),
                valFraction, valSize);
    }

    /**
     * How the producer makes the stream from a training file of {@code trainFileSize} samples with
     * {@code seed}: shuffle, drop_last, the seed and the validation split.
     */
    public Sampling sampling(long seed, int trainFileSize) {
        return new Sampling(shuffle, dropLast, seed, validationSize(trainFileSize));
    }

    /** Samples of a training file of {@code trainFileSize} samples carved off for validation. */
    public int validationSize(int trainFileSize) {
        int size = valSize > 0 ? valSize : (int) Math.round(valFraction * trainFileSize);
        if ((valSize > 0 || valFraction > 0) && (size < 1 || size >= trainFileSize)) {
            throw new IllegalArgumentException("the validation split must leave at least one training sample and "
                    + "hold at least one: " + (valSize > 0 ? SpecKeys.VAL_SIZE + " " + valSize
                    : SpecKeys.VAL_FRACTION + " " + valFraction) + " of " + trainFileSize + " samples gives "
                    + size);
        }
        return size;
    }

    /** {@code key}'s value, checked to be at least {@code min}; the error names the key and where it was set. */
    static int atLeast(int min, SpecSettings settings, String key, int otherwise) {
        int value = settings.intValue(key, otherwise);
        if (value < min) {
            throw new IllegalArgumentException(key + " must be >= " + min + ", got " + value + " (set by "
                    + source(settings, key) + ")");
        }
        return value;
    }

    private static String source(SpecSettings settings, String key) {
        return settings.get(key).map(SpecSettings.Setting::source).orElse("default");
    }
}
