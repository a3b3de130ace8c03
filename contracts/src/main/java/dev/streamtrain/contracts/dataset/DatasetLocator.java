package dev.streamtrain.contracts.dataset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a dataset's files, in order: the directory given with {@code --data} (or its
 * {@code <dataset>/} subdirectory); {@code ./data/<dataset>/}; the system package's directory
 * ({@code /usr/share/datasets/fashion-mnist}); else downloads them into {@code ./data/<dataset>/}.
 * When none works, one error names every place tried and how to get the files.
 */
public final class DatasetLocator {

    private static final Logger log = LoggerFactory.getLogger(DatasetLocator.class);

    private final Optional<Path> explicitDirectory;
    private final Path dataRoot;
    private final boolean downloadAllowed;
    private final DatasetDownloader downloader;

    /**
     * @param explicitDirectory the {@code --data} directory, if given
     * @param dataRoot          the project data root, {@code ./data}
     * @param downloadAllowed   false to never download (e.g. {@code --no-download})
     * @param downloader        fetches files from the dataset's mirrors
     */
    public DatasetLocator(Optional<Path> explicitDirectory, Path dataRoot, boolean downloadAllowed,
                          DatasetDownloader downloader) {
        this.explicitDirectory = explicitDirectory;
        this.dataRoot = dataRoot;
        this.downloadAllowed = downloadAllowed;
        this.downloader = downloader;
    }

    /** The directory holding every file of {@code dataset}. */
    public Path locate(KnownDataset dataset) throws DatasetNotFoundException {
        List<String> tried = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        explicitDirectory.ifPresent(dir -> {
            candidates.add(dir);
            candidates.add(dir.resolve(dataset.id()));
        });
        Path projectDir = dataRoot.resolve(dataset.id());
        candidates.add(projectDir);
        dataset.systemDirectory().ifPresent(candidates::add);
        for (Path dir : candidates) {
            if (IdxDatasetLoader.isComplete(dataset, dir)) {
                log.info("{}: reading files from {}", dataset.id(), dir.toAbsolutePath());
                return dir;
            }
            tried.add(dir.toAbsolutePath() + " (" + describeMissing(dataset, dir) + ")");
        }
        if (downloadAllowed) {
            try {
                downloader.download(dataset.mirrors(), dataset.files(), projectDir);
                if (IdxDatasetLoader.isComplete(dataset, projectDir)) {
                    return projectDir;
                }
                tried.add("download into " + projectDir.toAbsolutePath() + " (incomplete)");
            } catch (IOException e) {
                tried.add("download into " + projectDir.toAbsolutePath() + ": " + e.getMessage());
            }
        } else {
            tried.add("download (disabled)");
        }
        StringBuilder message = new StringBuilder("dataset '" + dataset.id() + "' not found. Tried:\n");
        tried.forEach(t -> message.append("  - ").append(t).append('\n'));
        message.append("Get the files (");
        dataset.files().forEach(f -> message.append(f.gzipName()).append(' '));
        message.setLength(message.length() - 1);
        message.append(") from ").append(dataset.mirrors().get(0)).append(" into ")
                .append(projectDir.toAbsolutePath()).append(", or pass --data DIR");
        dataset.systemPackageHint().ifPresent(h -> message.append(", or run '").append(h).append('\''));
        throw new DatasetNotFoundException(message.toString());
    }

    private static String describeMissing(KnownDataset dataset, Path dir) {
        if (!dir.toFile().isDirectory()) {
            return "no such directory";
        }
        List<String> missing = new ArrayList<>();
        for (DatasetFile f : dataset.files()) {
            if (IdxDatasetLoader.find(dir, f).isEmpty()) {
                missing.add(f.gzipName());
            }
        }
        return "missing " + String.join(", ", missing);
    }
}
