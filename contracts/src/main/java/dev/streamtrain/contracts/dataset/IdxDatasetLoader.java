package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Loads one split of an IDX dataset (MNIST, Fashion-MNIST) from a directory holding its files,
 * gzipped or raw. Images of dims [N, H, W] become samples of shape [1, H, W], as {@code ToTensor()}
 * makes them.
 */
public final class IdxDatasetLoader {

    private IdxDatasetLoader() {
    }

    public static ImageDataset load(KnownDataset dataset, Path directory, Split split) throws IOException {
        Path imagesFile = find(directory, dataset.images(split))
                .orElseThrow(() -> missing(directory, dataset.images(split)));
        Path labelsFile = find(directory, dataset.labels(split))
                .orElseThrow(() -> missing(directory, dataset.labels(split)));
        IdxArray images = IdxFile.read(imagesFile);
        IdxArray labels = IdxFile.read(labelsFile);
        if (images.dims().length != 3) {
            throw new IOException(imagesFile + ": image files hold [count, rows, cols], got dimensions "
                    + Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IOException(labelsFile + ": label files hold [count], got dimensions "
                    + Arrays.toString(labels.dims()));
        }
        if (images.count() != labels.count()) {
            throw new IOException(imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds "
                    + labels.count() + " labels");
        }
        int[] shape = {1, images.dims()[1], images.dims()[2]};
        try {
            return new ImageDataset(dataset.id(), split, shape, images.data(), labels.data(), dataset.numClasses());
        } catch (IllegalArgumentException e) {
            throw new IOException(labelsFile + ": " + e.getMessage(), e);
        }
    }

    /** True if the directory holds all files of the dataset, each gzipped or raw. */
    public static boolean isComplete(KnownDataset dataset, Path directory) {
        return dataset.files().stream().allMatch(f -> find(directory, f).isPresent());
    }

    static Optional<Path> find(Path directory, DatasetFile file) {
        for (String name : new String[] {file.gzipName(), file.baseName()}) {
            Path candidate = directory.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static IOException missing(Path directory, DatasetFile file) {
        return new IOException(directory + " has neither " + file.gzipName() + " nor " + file.baseName());
    }
}
