package dev.streamtrain.contracts.dataset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetLocatorTest {

    private static final String ALL_FILES = "train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz"
            + " t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz";

    @TempDir
    Path root;
    Path given;
    Path dataRoot;

    @BeforeEach
    void paths() {
        given = root.resolve("given");
        dataRoot = root.resolve("data");
    }

    private DatasetLocator locator(Optional<Path> explicit) {
        return new DatasetLocator(explicit, dataRoot, false, new DatasetDownloader(System.out));
    }

    @Test
    void theExplicitDirectoryWins() throws Exception {
        SyntheticIdxDataset.write(given, KnownDataset.MNIST, 2, 2, 1L);
        SyntheticIdxDataset.write(given.resolve("mnist"), KnownDataset.MNIST, 2, 2, 2L);
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), KnownDataset.MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(KnownDataset.MNIST)).isEqualTo(given);
    }

    @Test
    void thenItsDatasetSubdirectory() throws Exception {
        SyntheticIdxDataset.write(given.resolve("mnist"), KnownDataset.MNIST, 2, 2, 2L);
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), KnownDataset.MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(KnownDataset.MNIST)).isEqualTo(given.resolve("mnist"));
    }

    @Test
    void thenTheProjectDataDirectory() throws Exception {
        Files.createDirectories(given);
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), KnownDataset.MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(KnownDataset.MNIST)).isEqualTo(dataRoot.resolve("mnist"));
        assertThat(locator(Optional.empty()).locate(KnownDataset.MNIST)).isEqualTo(dataRoot.resolve("mnist"));
    }

    @Test
    void skipsAnIncompleteDirectory() throws Exception {
        SyntheticIdxDataset.write(given, KnownDataset.MNIST, 2, 2, 1L);
        Files.delete(given.resolve("t10k-labels-idx1-ubyte.gz"));
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), KnownDataset.MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(KnownDataset.MNIST)).isEqualTo(dataRoot.resolve("mnist"));
    }

    @Test
    void theProjectDirectoryComesBeforeTheSystemDirectory() throws Exception {
        SyntheticIdxDataset.write(dataRoot.resolve("fashion-mnist"), KnownDataset.FASHION_MNIST, 2, 2, 3L);
        assertThat(locator(Optional.empty()).locate(KnownDataset.FASHION_MNIST))
                .isEqualTo(dataRoot.resolve("fashion-mnist"));
    }

    @Test
    void acceptsRawFiles() throws Exception {
        Path dir = dataRoot.resolve("mnist");
        Files.createDirectories(dir);
        for (DatasetFile f : KnownDataset.MNIST.files()) {
            Files.write(dir.resolve(f.baseName()), SyntheticIdxDataset.idxBytes(new int[] {1}, new byte[1]));
        }
        assertThat(locator(Optional.empty()).locate(KnownDataset.MNIST)).isEqualTo(dir);
    }

    @Test
    void notFoundListsEveryPlaceTriedAndTheMirror() throws IOException {
        Path project = dataRoot.resolve("mnist");
        Files.createDirectories(given);
        SyntheticIdxDataset.write(project, KnownDataset.MNIST, 2, 2, 3L);
        Files.delete(project.resolve("t10k-images-idx3-ubyte.gz"));
        Files.delete(project.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> locator(Optional.of(given)).locate(KnownDataset.MNIST))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessage("dataset 'mnist' not found. Tried:\n"
                        + "  - " + given.toAbsolutePath() + " (missing " + ALL_FILES.replace(" ", ", ") + ")\n"
                        + "  - " + given.resolve("mnist").toAbsolutePath() + " (no such directory)\n"
                        + "  - " + project.toAbsolutePath()
                        + " (missing t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)\n"
                        + "  - download (disabled)\n"
                        + "Get the files (" + ALL_FILES + ") from https://ossci-datasets.s3.amazonaws.com/mnist/ into "
                        + project.toAbsolutePath() + ", or pass --data DIR");
    }

    @Test
    void notFoundWithoutAnExplicitDirectory() {
        Path project = dataRoot.resolve("mnist");
        assertThatThrownBy(() -> locator(Optional.empty()).locate(KnownDataset.MNIST))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessage("dataset 'mnist' not found. Tried:\n"
                        + "  - " + project.toAbsolutePath() + " (no such directory)\n"
                        + "  - download (disabled)\n"
                        + "Get the files (" + ALL_FILES + ") from https://ossci-datasets.s3.amazonaws.com/mnist/ into "
                        + project.toAbsolutePath() + ", or pass --data DIR");
    }

    @Test
    void aFailedDownloadIsListedWithEveryMirrorUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // Every request goes to a proxy that is not there: nothing leaves this machine.
        HttpClient http = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", closedPort)))
                .connectTimeout(Duration.ofSeconds(5)).build();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DatasetLocator locator = new DatasetLocator(Optional.empty(), dataRoot, true,
                new DatasetDownloader(http, new PrintStream(progress, true)));
        Path project = dataRoot.resolve("mnist");
        assertThatThrownBy(() -> locator.locate(KnownDataset.MNIST)).isInstanceOf(DatasetNotFoundException.class)
                .hasMessageStartingWith("dataset 'mnist' not found. Tried:\n"
                        + "  - " + project.toAbsolutePath() + " (no such directory)\n"
                        + "  - download into " + project.toAbsolutePath()
                        + ": could not download train-images-idx3-ubyte.gz:\n"
                        + "  https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz: ")
                .hasMessageContaining("\n  http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz: ")
                .hasMessageEndingWith("Get the files (" + ALL_FILES + ") from https://ossci-datasets.s3.amazonaws.com"
                        + "/mnist/ into " + project.toAbsolutePath() + ", or pass --data DIR");
        try (var files = Files.list(project)) {
            assertThat(files).as("a failed download leaves no file").isEmpty();
        }
    }
}
