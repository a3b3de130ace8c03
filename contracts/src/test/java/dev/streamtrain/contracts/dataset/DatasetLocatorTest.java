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

    private static final DatasetDefinition MNIST = new Mnist();
    private static final DatasetDefinition FASHION_MNIST = new FashionMnist();
    private static final DatasetDefinition CIFAR10 = new Cifar10();
    private static final String CIFAR_BINS = "data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, "
            + "data_batch_5.bin, test_batch.bin";

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
        SyntheticIdxDataset.write(given, MNIST, 2, 2, 1L);
        SyntheticIdxDataset.write(given.resolve("mnist"), MNIST, 2, 2, 2L);
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(MNIST)).isEqualTo(given);
    }

    @Test
    void thenItsDatasetSubdirectory() throws Exception {
        SyntheticIdxDataset.write(given.resolve("mnist"), MNIST, 2, 2, 2L);
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(MNIST)).isEqualTo(given.resolve("mnist"));
    }

    @Test
    void thenTheProjectDataDirectory() throws Exception {
        Files.createDirectories(given);
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(MNIST)).isEqualTo(dataRoot.resolve("mnist"));
        assertThat(locator(Optional.empty()).locate(MNIST)).isEqualTo(dataRoot.resolve("mnist"));
    }

    @Test
    void skipsAnIncompleteDirectory() throws Exception {
        SyntheticIdxDataset.write(given, MNIST, 2, 2, 1L);
        Files.delete(given.resolve("t10k-labels-idx1-ubyte.gz"));
        SyntheticIdxDataset.write(dataRoot.resolve("mnist"), MNIST, 2, 2, 3L);
        assertThat(locator(Optional.of(given)).locate(MNIST)).isEqualTo(dataRoot.resolve("mnist"));
    }

    @Test
    void theProjectDirectoryComesBeforeTheSystemDirectory() throws Exception {
        SyntheticIdxDataset.write(dataRoot.resolve("fashion-mnist"), FASHION_MNIST, 2, 2, 3L);
        assertThat(locator(Optional.empty()).locate(FASHION_MNIST))
                .isEqualTo(dataRoot.resolve("fashion-mnist"));
    }

    @Test
    void acceptsRawFiles() throws Exception {
        Path dir = dataRoot.resolve("mnist");
        Files.createDirectories(dir);
        for (String f : IdxFormat.INSTANCE.files()) {
            Files.write(dir.resolve(f), SyntheticIdxDataset.idxBytes(new int[] {1}, new byte[1]));
        }
        assertThat(locator(Optional.empty()).locate(MNIST)).isEqualTo(dir);
    }

    @Test
    void notFoundListsEveryPlaceTriedAndTheMirror() throws IOException {
        Path project = dataRoot.resolve("mnist");
        Files.createDirectories(given);
        SyntheticIdxDataset.write(project, MNIST, 2, 2, 3L);
        Files.delete(project.resolve("t10k-images-idx3-ubyte.gz"));
        Files.delete(project.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> locator(Optional.of(given)).locate(MNIST))
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
        assertThatThrownBy(() -> locator(Optional.empty()).locate(MNIST))
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
        assertThatThrownBy(() -> locator.locate(MNIST)).isInstanceOf(DatasetNotFoundException.class)
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

    @Test
    void cifar10IsFoundAsItsArchive() throws Exception {
        SyntheticCifar10.writeArchive(dataRoot.resolve("cifar10"), 5, 1, 1L);
        assertThat(locator(Optional.empty()).locate(CIFAR10)).isEqualTo(dataRoot.resolve("cifar10"));
    }

    @Test
    void cifar10IsFoundAsItsBatchDirectoryUnderTheGivenOne() throws Exception {
        SyntheticCifar10.write(given, 5, 1, 1L);
        SyntheticCifar10.writeArchive(dataRoot.resolve("cifar10"), 5, 1, 1L);
        assertThat(locator(Optional.of(given)).locate(CIFAR10)).isEqualTo(given);
    }

    @Test
    void cifar10NotFoundListsEveryPlaceTriedAndTheArchiveUrl() throws IOException {
        Path project = dataRoot.resolve("cifar10");
        Path batches = SyntheticCifar10.write(given, 5, 1, 1L);
        Files.delete(batches.resolve("data_batch_3.bin"));
        Files.createDirectories(project);
        assertThatThrownBy(() -> locator(Optional.of(given)).locate(CIFAR10))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessage("dataset 'cifar10' not found. Tried:\n"
                        + "  - " + given.toAbsolutePath() + " (missing cifar-10-binary.tar.gz, and "
                        + "cifar-10-batches-bin/ lacks data_batch_3.bin)\n"
                        + "  - " + given.resolve("cifar10").toAbsolutePath() + " (no such directory)\n"
                        + "  - " + project.toAbsolutePath() + " (missing cifar-10-binary.tar.gz (or "
                        + "cifar-10-batches-bin/ with " + CIFAR_BINS + "))\n"
                        + "  - download (disabled)\n"
                        + "Get https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz into " + project.toAbsolutePath()
                        + ", or pass --data DIR");
    }

    @Test
    void aCustomDatasetIsNotDownloadedAndTheErrorSaysWhichFilesToPutWhere() throws IOException {
        Files.createDirectories(given);
        Path project = dataRoot.resolve("letters");
        assertThatThrownBy(() -> new DatasetLocator(Optional.of(given), dataRoot, true,
                new DatasetDownloader(System.out)).locate(Datasets.custom("letters", "idx", 26)))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessage("dataset 'letters' not found. Tried:\n"
                        + "  - " + given.toAbsolutePath() + " (missing " + ALL_FILES.replace(" ", ", ") + ")\n"
                        + "  - " + given.resolve("letters").toAbsolutePath() + " (no such directory)\n"
                        + "  - " + project.toAbsolutePath() + " (no such directory)\n"
                        + "  - download (none: 'letters' is not published)\n"
                        + "Put its idx files (train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte "
                        + "t10k-labels-idx1-ubyte) into " + project.toAbsolutePath() + ", or pass --data DIR");
    }

    @Test
    void aCustomDatasetIsFoundInTheGivenDirectory() throws Exception {
        DatasetDefinition letters = Datasets.custom("letters", "idx", 26);
        SyntheticIdxDataset.write(given, letters, 2, 2, 1L);
        assertThat(locator(Optional.of(given)).locate(letters)).isEqualTo(given);
    }
}
