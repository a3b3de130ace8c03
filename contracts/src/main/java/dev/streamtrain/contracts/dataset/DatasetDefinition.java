package dev.streamtrain.contracts.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A dataset streamtrain knows by name ({@link FashionMnist}, {@link Mnist}, {@link Cifar10}): its
 * classes, file format, where it is published and where a system package installs it. Each is one
 * class, registered through {@code META-INF/services/dev.streamtrain.contracts.dataset.DatasetDefinition}
 * and found with {@link Datasets#get}; {@link Datasets#custom} makes one for a user's own files.
 */
public interface DatasetDefinition {

    /** The name used on the command line, in records and in {@code ./data/<name>/}. */
    String name();

    /** Class names, indexed by label. */
    List<String> classNames();

    default int numClasses() {
        return classNames().size();
    }

    DatasetFormat format();

    /** Where the files are published; {@link DatasetDownloads#NONE} if nowhere. */
    DatasetDownloads downloads();

    /** Where a system package installs the files, if one does. */
    default Optional<Path> systemDirectory() {
        return Optional.empty();
    }

    /** The command that installs the system package, if there is one. */
    default Optional<String> systemPackageHint() {
        return Optional.empty();
    }
}
