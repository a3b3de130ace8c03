package dev.streamtrain.contracts.dataset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a dataset's files, in order: the directory given with {@code --data} (or its
 * {@code <dataset>/} subdirectory); {@code ./data/<dataset>/}; the system package's directory
 * ({@code /usr/share/datasets/fashion-mnist}); else downloads them into {@code ./data/<dataset>/}.
 * The dataset's format says when a directory is complete. When none is, one error names every place
 * tried and how to get the files.
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
    public Path locate(DatasetDefinition dataset) throws DatasetNotFoundException {
        DatasetFormat format = dataset.format();
        List<String> tried = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        explicitDirectory.ifPresent(dir -> {
            candidates.add(dir);
            candidates.add(dir.resolve(dataset.name()));
        });
        Path projectDir = dataRoot.resolve(dataset.name());
        candidates.add(projectDir);
        dataset.systemDirectory().ifPresent(candidates::add);
        for (Path dir : candidates) {
            if (format.isComplete(dir)) {
                log.info("{}: reading {} files from {}", dataset.name(), format.name(), dir.toAbsolutePath());
                return dir;
            }
            tried.add(dir.toAbsolutePath() + " ("
                    + (Files.isDirectory(dir) ? format.describeMissing(dir) : "no such directory") + ")");
        }
        DatasetDownloads downloads = dataset.downloads();
        if (downloads.isEmpty()) {
            tried.add("download (none: '" + dataset.name() + "' is not published)");
        } else if (downloadAllowed) {
            try {
                downloader.download(downloads.mirrors(), downloads.files(), projectDir);
                if (format.isComplete(projectDir)) {
                    return projectDir;
                }
                tried.add("download into " + projectDir.toAbsolutePath() + " ("
                        + format.describeMissing(projectDir) + ")");
            } catch (IOException e) {
                tried.add("download into " + projectDir.toAbsolutePath() + ": " + e.getMessage());
            }
        } else {
            tried.add("download (disabled)");
        }
        StringBuilder message = new StringBuilder("dataset '" + dataset.name() + "' not found. Tried:\n");
        tried.forEach(t -> message.append("  - ").append(t).append('\n'));
        if (downloads.isEmpty()) {
            message.append("Put its ").append(format.name()).append(" files (").append(String.join(" ", format.files()))
                    .append(") into ").append(projectDir.toAbsolutePath()).append(", or pass --data DIR");
        } else {
            message.append("Get ").append(downloads.describe()).append(" into ").append(projectDir.toAbsolutePath())
                    .append(", or pass --data DIR");
        }
        dataset.systemPackageHint().ifPresent(h -> message.append(", or run '").append(h).append('\''));
        throw new DatasetNotFoundException(message.toString());
    }
}
