package dev.streamtrain.contracts.dataset;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks a {@code .tar.gz} into a directory, safely: every member is first written to a scratch
 * directory beside the target, the whole archive is read to its end (so gzip's CRC and length are
 * checked), the required members are checked to be there, and only then are the files moved into
 * place, each atomically. A truncated or corrupt archive, a missing member, an entry whose path would
 * leave the directory, or a link entry is refused with an error naming the archive and the problem,
 * and leaves nothing behind.
 */
final class TarGzArchive {

    private TarGzArchive() {
    }

    /**
     * Unpacks {@code archive} into {@code directory}.
     *
     * @param required members (relative paths with '/') that must be in the archive
     */
    static void unpack(Path archive, Path directory, List<String> required) throws IOException {
        Path into = directory.toAbsolutePath().normalize();
        Path scratch = Files.createTempDirectory(into, ".unpack-" + archive.getFileName() + "-");
        try {
            List<Path> unpacked = extract(archive, scratch);
            for (String member : required) {
                if (!Files.isRegularFile(scratch.resolve(member))) {
                    throw new IOException(archive + ": missing member " + member + " (is this the right archive?)");
                }
            }
            for (Path file : unpacked) {
                Path target = into.resolve(scratch.relativize(file));
                Files.createDirectories(target.getParent());
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteRecursively(scratch);
        }
    }

    /** Writes every regular file of the archive under {@code scratch}; returns them. */
    private static List<Path> extract(Path archive, Path scratch) throws IOException {
        List<Path> files = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             GzipCompressorInputStream gzip = readArchive(archive, () -> new GzipCompressorInputStream(raw));
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = readArchive(archive, tar::getNextEntry)) != null) {
                Path target = scratch.resolve(entry.getName()).normalize();
                if (target.equals(scratch) && entry.isDirectory()) {
                    continue; // "./"
                }
                if (!target.startsWith(scratch) || target.equals(scratch)) {
                    throw new IOException(archive + ": entry '" + entry.getName()
                            + "' would be written outside the directory; refusing to unpack");
                }
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                        || entry.isFIFO()) {
                    throw new IOException(archive + ": entry '" + entry.getName() + "' is a link or special file; "
                            + "only files and directories are unpacked");
                } else if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    copy(archive, tar, target);
                    files.add(target);
                } else {
                    throw new IOException(archive + ": entry '" + entry.getName() + "' is a link or special file; "
                            + "only files and directories are unpacked");
                }
            }
            // Read to the end of the gzip stream, so its trailer (CRC-32 and length) is checked.
            byte[] rest = new byte[1 << 16];
            while (readArchive(archive, () -> gzip.read(rest)) >= 0) {
                continue;
            }
        }
        return files;
    }

    private static void copy(Path archive, InputStream member, Path target) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = readArchive(archive, () -> member.read(buffer))) >= 0) {
                out.write(buffer, 0, n);
            }
        }
    }

    private interface ArchiveRead<T> {
        T read() throws IOException;
    }

    /** One read of the archive; its failures are the archive's fault, and say so. */
    private static <T> T readArchive(Path archive, ArchiveRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            throw new IOException(archive + ": truncated or corrupt tar.gz (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                try {
                    Files.delete(dir);
                } catch (DirectoryNotEmptyException ignored) {
                    // a file appeared meanwhile; leave it
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
