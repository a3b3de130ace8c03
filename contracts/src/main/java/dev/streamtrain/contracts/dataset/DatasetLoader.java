package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** Locates (or downloads) a dataset's files and reads both splits: what a command needs in one call. */
public final class DatasetLoader {

    private DatasetLoader() {
    }

    /**
     * @param dataDir         the {@code --data} directory, if given
     * @param dataRoot        the project data root, {@code ./data}
     * @param downloadAllowed false to never download ({@code --no-download})
     * @param progress        where download progress bars are drawn
     * @throws DatasetNotFoundException naming every place tried and how to get the files
     * @throws IOException              naming the file and the problem when one is malformed
     */
    public static LoadedDataset load(DatasetDefinition definition, Optional<Path> dataDir, Path dataRoot,
                                     boolean downloadAllowed, PrintStream progress)
            throws DatasetNotFoundException, IOException {
        Path directory = new DatasetLocator(dataDir, dataRoot, downloadAllowed, new DatasetDownloader(progress))
                .locate(definition);
        DatasetFormat format = definition.format();
        return new LoadedDataset(definition, format.load(definition, directory, Split.TRAIN),
                format.load(definition, directory, Split.TEST));
    }
}
