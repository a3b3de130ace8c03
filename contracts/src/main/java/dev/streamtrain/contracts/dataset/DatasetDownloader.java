package dev.streamtrain.contracts.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Downloads dataset files (any name: {@code .gz}, {@code .tar.gz}) from their publishers' mirrors,
 * like torchvision's {@code download=True}: each file from the first mirror that serves it, with a
 * progress bar, its MD5 checked before it is moved into place (a failed download leaves no file
 * behind). Unpacking is the format's job.
 */
public final class DatasetDownloader {

    private final HttpClient http;
    private final PrintStream progress;

    public DatasetDownloader(PrintStream progress) {
        this(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15))
                .build(), progress);
    }

    DatasetDownloader(HttpClient http, PrintStream progress) {
        this.http = http;
        this.progress = progress;
    }

    /** Downloads every file into {@code directory}; throws naming every URL that failed and why. */
    public void download(List<URI> mirrors, List<DatasetFile> files, Path directory) throws IOException {
        Files.createDirectories(directory);
        for (DatasetFile file : files) {
            Path target = directory.resolve(file.name());
            if (Files.isRegularFile(target)) {
                continue;
            }
            List<String> failures = new ArrayList<>();
            boolean done = false;
            for (URI mirror : mirrors) {
                URI url = mirror.resolve(file.name());
                try {
                    fetch(url, file, target);
                    done = true;
                    break;
                } catch (IOException e) {
                    failures.add(url + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("download of " + url + " interrupted", e);
                }
            }
            if (!done) {
                throw new IOException("could not download " + file.name() + ":\n  " + String.join("\n  ", failures));
            }
        }
    }

    private void fetch(URI url, DatasetFile file, Path target) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode());
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        MessageDigest md5 = md5();
        try (InputStream in = new DigestInputStream(response.body(), md5);
             OutputStream out = Files.newOutputStream(partial)) {
            ProgressBar bar = new ProgressBar(progress, "Downloading " + url, total);
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                done += n;
                bar.update(done);
            }
            bar.finish(done);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        String actual = HexFormat.of().formatHex(md5.digest());
        if (!actual.equals(file.md5())) {
            Files.deleteIfExists(partial);
            throw new IOException("MD5 mismatch: expected " + file.md5() + ", got " + actual
                    + " (corrupt or wrong file; nothing was kept)");
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
