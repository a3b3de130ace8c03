package dev.streamtrain.contracts.dataset;

import java.net.URI;
import java.util.List;

/**
 * Where a dataset is published: its files with their checksums, and the mirrors serving them (tried
 * in order, each file from the first that serves it). None for a user's own dataset.
 */
public record DatasetDownloads(List<URI> mirrors, List<DatasetFile> files) {

    public static final DatasetDownloads NONE = new DatasetDownloads(List.of(), List.of());

    public DatasetDownloads {
        mirrors = List.copyOf(mirrors);
        files = List.copyOf(files);
        if (mirrors.isEmpty() != files.isEmpty()) {
            throw new IllegalArgumentException("downloads need both files and mirrors, got " + files.size()
                    + " files and " + mirrors.size() + " mirrors");
        }
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** Where to get the files, for messages: the single file's URL, else the file names and the first mirror. */
    public String describe() {
        if (files.size() == 1) {
            return mirrors.get(0).resolve(files.get(0).name()).toString();
        }
        return "the files (" + String.join(" ", files.stream().map(DatasetFile::name).toList()) + ") from "
                + mirrors.get(0);
    }
}
