package dev.streamtrain.contracts.dataset;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloads from a real HTTP server on 127.0.0.1 serving generated .gz files. */
class DatasetDownloaderTest {

    private static final String WRONG_MD5 = "0".repeat(32);

    @TempDir
    Path tmp;
    private HttpServer server;
    /** path -> (status, body); body null means a chunked response of no known length. */
    private final Map<String, Object[]> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);
    private byte[] images;
    private byte[] labels;
    private DatasetFile imagesFile;
    private DatasetFile labelsFile;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        images = gz(new int[] {5, 28, 28}, 5 * 784);
        labels = gz(new int[] {5}, 5);
        imagesFile = new DatasetFile("train-images-idx3-ubyte.gz", md5(images));
        labelsFile = new DatasetFile("train-labels-idx1-ubyte.gz", md5(labels));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        Object[] route = routes.getOrDefault(path, new Object[] {404, new byte[0]});
        int status = (int) route[0];
        byte[] body = (byte[]) route[1];
        exchange.sendResponseHeaders(status, route.length > 2 ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private byte[] gz(int[] dims, int size) throws IOException {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 7 == 0 ? i : 0);
        }
        Path file = Files.createTempFile(tmp, "gen", ".gz");
        SyntheticIdxDataset.writeIdx(file, dims, data);
        return Files.readAllBytes(file);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private URI mirror(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/");
    }

    private void route(String path, int status, byte[] body) {
        routes.put(path, new Object[] {status, body});
    }

    private DatasetDownloader downloader() {
        return new DatasetDownloader(progress);
    }

    private String progressText() {
        return progressBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void downloadsEveryFileAndChecksItsMd5() throws Exception {
        route("/m1/train-images-idx3-ubyte.gz", 200, images);
        route("/m1/train-labels-idx1-ubyte.gz", 200, labels);
        Path target = tmp.resolve("data/mnist");
        downloader().download(List.of(mirror("m1")), List.of(imagesFile, labelsFile), target);
        assertThat(Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz"))).isEqualTo(images);
        assertThat(Files.readAllBytes(target.resolve("train-labels-idx1-ubyte.gz"))).isEqualTo(labels);
        try (var files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
        }
        assertThat(IdxFile.read(target.resolve("train-images-idx3-ubyte.gz")).dims()).containsExactly(5, 28, 28);
        assertThat(requests).containsExactly("/m1/train-images-idx3-ubyte.gz", "/m1/train-labels-idx1-ubyte.gz");
    }

    @Test
    void drawsProgressToTheGivenStream() throws Exception {
        route("/m1/train-images-idx3-ubyte.gz", 200, images);
        downloader().download(List.of(mirror("m1")), List.of(imagesFile), tmp.resolve("d"));
        String label = "Downloading " + mirror("m1") + "train-images-idx3-ubyte.gz";
        String text = progressText();
        assertThat(text).startsWith("\r" + label + " ")
                .endsWith("\r" + label + " 100% [" + "#".repeat(30) + "] 0.0/0.0 MB" + System.lineSeparator());
        Matcher m = Pattern.compile("\r" + Pattern.quote(label) + " +(\\d+)% \\[(#*) *\\] 0\\.0/0\\.0 MB").matcher(text);
        int lines = 0;
        int lastPercent = -1;
        while (m.find()) {
            int percent = Integer.parseInt(m.group(1));
            assertThat(percent).isGreaterThanOrEqualTo(lastPercent).isBetween(0, 100);
            // filled = floor(30 x), percent = floor(100 x) for the same fraction x
            assertThat(m.group(2).length()).isBetween(30 * percent / 100, 30 * (percent + 1) / 100);
            lastPercent = percent;
            lines++;
        }
        assertThat(lines).isGreaterThanOrEqualTo(2);
        assertThat(text.chars().filter(c -> c == '\r').count()).isEqualTo(lines);
    }

    @Test
    void progressOfAResponseOfUnknownLengthShowsMegabytes() throws Exception {
        routes.put("/m1/train-labels-idx1-ubyte.gz", new Object[] {200, labels, "chunked"});
        downloader().download(List.of(mirror("m1")), List.of(labelsFile), tmp.resolve("d"));
        String line = "\rDownloading " + mirror("m1") + "train-labels-idx1-ubyte.gz 0.0 MB";
        // drawn once when the first bytes arrive, once more when the download finishes
        assertThat(progressText()).isEqualTo(line + line + System.lineSeparator());
        assertThat(Files.readAllBytes(tmp.resolve("d/train-labels-idx1-ubyte.gz"))).isEqualTo(labels);
    }

    @Test
    void md5MismatchKeepsNothing() throws IOException {
        route("/m1/train-images-idx3-ubyte.gz", 200, images);
        Path target = tmp.resolve("d");
        DatasetFile wrong = new DatasetFile("train-images-idx3-ubyte.gz", WRONG_MD5);
        assertThatThrownBy(() -> downloader().download(List.of(mirror("m1")), List.of(wrong), target))
                .isInstanceOf(IOException.class)
                .hasMessage("could not download train-images-idx3-ubyte.gz:\n  " + mirror("m1")
                        + "train-images-idx3-ubyte.gz: MD5 mismatch: expected " + WRONG_MD5 + ", got " + md5(images)
                        + " (corrupt or wrong file; nothing was kept)");
        try (var files = Files.list(target)) {
            assertThat(files).as("no file and no .part file").isEmpty();
        }
    }

    @Test
    void aCorruptMirrorFallsBackToTheNextOne() throws Exception {
        byte[] corrupt = images.clone();
        corrupt[corrupt.length / 2] ^= 1;
        route("/m1/train-images-idx3-ubyte.gz", 200, corrupt);
        route("/m2/train-images-idx3-ubyte.gz", 200, images);
        Path target = tmp.resolve("d");
        downloader().download(List.of(mirror("m1"), mirror("m2")), List.of(imagesFile), target);
        assertThat(Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz"))).isEqualTo(images);
        assertThat(target.resolve("train-images-idx3-ubyte.gz.part")).doesNotExist();
    }

    @Test
    void http404OnTheFirstMirrorFallsBackToTheSecond() throws Exception {
        route("/m2/train-images-idx3-ubyte.gz", 200, images);
        Path target = tmp.resolve("d");
        downloader().download(List.of(mirror("m1"), mirror("m2")), List.of(imagesFile), target);
        assertThat(Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz"))).isEqualTo(images);
        assertThat(requests).containsExactly("/m1/train-images-idx3-ubyte.gz", "/m2/train-images-idx3-ubyte.gz");
        assertThat(progressText()).doesNotContain("/m1/");
    }

    @Test
    void whenEveryMirrorFailsTheErrorNamesEachUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + closedPort + "/m3/");
        route("/m2/train-images-idx3-ubyte.gz", 500, "boom".getBytes(StandardCharsets.UTF_8));
        Path target = tmp.resolve("d");
        assertThatThrownBy(() -> downloader().download(List.of(mirror("m1"), mirror("m2"), closed),
                List.of(imagesFile), target))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("could not download train-images-idx3-ubyte.gz:\n"
                        + "  " + mirror("m1") + "train-images-idx3-ubyte.gz: HTTP 404\n"
                        + "  " + mirror("m2") + "train-images-idx3-ubyte.gz: HTTP 500\n"
                        + "  " + closed + "train-images-idx3-ubyte.gz: ");
        try (var files = Files.list(target)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void keepsFilesDownloadedBeforeALaterFileFails() throws IOException {
        route("/m1/train-images-idx3-ubyte.gz", 200, images);
        Path target = tmp.resolve("d");
        assertThatThrownBy(() -> downloader().download(List.of(mirror("m1")), List.of(imagesFile, labelsFile),
                target)).isInstanceOf(IOException.class)
                .hasMessage("could not download train-labels-idx1-ubyte.gz:\n  " + mirror("m1")
                        + "train-labels-idx1-ubyte.gz: HTTP 404");
        assertThat(Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz"))).isEqualTo(images);
    }

    @Test
    void skipsFilesThatAreAlreadyThere() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(target.resolve("train-images-idx3-ubyte.gz"), "already here");
        downloader().download(List.of(mirror("m1")), List.of(imagesFile), target);
        assertThat(requests).isEmpty();
        assertThat(Files.readString(target.resolve("train-images-idx3-ubyte.gz"))).isEqualTo("already here");
        assertThat(progressText()).isEmpty();
    }

    @Test
    void replacesAStalePartialFile() throws Exception {
        route("/m1/train-labels-idx1-ubyte.gz", 200, labels);
        Path target = Files.createDirectories(tmp.resolve("d"));
        byte[] stale = new byte[labels.length * 3];
        Arrays.fill(stale, (byte) 'x');
        Files.write(target.resolve("train-labels-idx1-ubyte.gz.part"), stale);
        downloader().download(List.of(mirror("m1")), List.of(labelsFile), target);
        assertThat(Files.readAllBytes(target.resolve("train-labels-idx1-ubyte.gz"))).isEqualTo(labels);
        assertThat(target.resolve("train-labels-idx1-ubyte.gz.part")).doesNotExist();
    }

    /** CIFAR-10 as published, one archive, served by the local mirror. */
    private DatasetDefinition cifarFrom(URI mirror, String md5) {
        return new DatasetDefinition() {
            @Override
            public String name() {
                return "cifar10";
            }

            @Override
            public List<String> classNames() {
                return new Cifar10().classNames();
            }

            @Override
            public DatasetFormat format() {
                return Cifar10BinaryFormat.INSTANCE;
            }

            @Override
            public DatasetDownloads downloads() {
                return new DatasetDownloads(List.of(mirror), List.of(new DatasetFile("cifar-10-binary.tar.gz", md5)));
            }
        };
    }

    @Test
    void downloadsTheCifarArchiveWhichIsThenUnpackedAndRead() throws Exception {
        byte[] archive = Files.readAllBytes(SyntheticCifar10.writeArchive(tmp.resolve("gen"), 10, 4, 5L));
        route("/kriz/cifar-10-binary.tar.gz", 200, archive);
        Path dataRoot = tmp.resolve("data");
        LoadedDataset loaded = DatasetLoader.load(cifarFrom(mirror("kriz"), md5(archive)), java.util.Optional.empty(),
                dataRoot, true, progress);
        assertThat(requests).containsExactly("/kriz/cifar-10-binary.tar.gz");
        assertThat(progressText()).contains("Downloading " + mirror("kriz") + "cifar-10-binary.tar.gz");
        assertThat(Files.readAllBytes(dataRoot.resolve("cifar10/cifar-10-binary.tar.gz"))).isEqualTo(archive);
        assertThat(dataRoot.resolve("cifar10/cifar-10-batches-bin/test_batch.bin")).isRegularFile();
        assertThat(loaded.train().size()).isEqualTo(10);
        assertThat(loaded.test().size()).isEqualTo(4);
        assertThat(loaded.train().sampleShape()).containsExactly(3, 32, 32);
        assertThat(loaded.definition().name()).isEqualTo("cifar10");
    }

    @Test
    void aCifarArchiveWithTheWrongChecksumLeavesNothingBehind() throws Exception {
        byte[] archive = Files.readAllBytes(SyntheticCifar10.writeArchive(tmp.resolve("gen"), 10, 4, 5L));
        route("/kriz/cifar-10-binary.tar.gz", 200, archive);
        Path dataRoot = tmp.resolve("data");
        assertThatThrownBy(() -> DatasetLoader.load(cifarFrom(mirror("kriz"), WRONG_MD5), java.util.Optional.empty(),
                dataRoot, true, progress)).isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContaining("  - download into " + dataRoot.resolve("cifar10").toAbsolutePath()
                        + ": could not download cifar-10-binary.tar.gz:\n  " + mirror("kriz")
                        + "cifar-10-binary.tar.gz: MD5 mismatch: expected " + WRONG_MD5 + ", got " + md5(archive)
                        + " (corrupt or wrong file; nothing was kept)\n")
                .hasMessageEndingWith("Get " + mirror("kriz") + "cifar-10-binary.tar.gz into "
                        + dataRoot.resolve("cifar10").toAbsolutePath() + ", or pass --data DIR");
        try (var files = Files.list(dataRoot.resolve("cifar10"))) {
            assertThat(files).as("no archive, no .part file, nothing unpacked").isEmpty();
        }
    }
}
