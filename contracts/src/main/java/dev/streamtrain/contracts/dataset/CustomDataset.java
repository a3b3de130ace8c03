package dev.streamtrain.contracts.dataset;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A user's own dataset: files in a known format under a new name, with {@code numClasses} classes
 * named "0" … "N-1". Nothing to download and no system directory: the files are where the user says.
 */
record CustomDataset(String name, DatasetFormat format, List<String> classNames) implements DatasetDefinition {

    /** Labels are bytes. */
    static final int MAX_CLASSES = 256;

    CustomDataset {
        Objects.requireNonNull(format, "format");
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("a dataset name is letters, digits, '.', '_' and '-' (it names the "
                    + "directory data/<name>/), got '" + name + "'");
        }
        classNames = List.copyOf(classNames);
        if (classNames.isEmpty() || classNames.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("dataset '" + name + "': classes must be in [1, " + MAX_CLASSES
                    + "] (labels are bytes), got " + classNames.size());
        }
    }

    CustomDataset(String name, DatasetFormat format, int numClasses) {
        this(name, format, numberedClasses(numClasses));
    }

    private static List<String> numberedClasses(int n) {
        if (n < 1 || n > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be in [1, " + MAX_CLASSES + "] (labels are bytes), got "
                    + n);
        }
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }

    @Override
    public DatasetDownloads downloads() {
        return DatasetDownloads.NONE;
    }
}
