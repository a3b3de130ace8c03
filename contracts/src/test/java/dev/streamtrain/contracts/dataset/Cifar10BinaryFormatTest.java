package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.ARCHIVE;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.DIRECTORY;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.PIXELS;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.RECORD;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.TEST_FILE;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.TRAIN_FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CIFAR-10's binary version, on generated files in the official layout, packed by commons-compress. */
class Cifar10BinaryFormatTest {

    private static final DatasetDefinition CIFAR10 = new Cifar10();
    private static final Cifar10BinaryFormat FORMAT = Cifar10BinaryFormat.INSTANCE;
    /** 20 training records per batch file, 10 test records. */
    private static final int TRAIN = 100;
    private static final int TEST = 10;

    @TempDir
    Path dir;

    /** What the generator wrote: the train batches, in order, and the test batch, decoded by hand. */
    private static byte[] concat(Map<String, byte[]> files, List<String> names) {
        byte[] out = new byte[0];
        for (String name : names) {
            byte[] file = files.get(name);
            int n = out.length;
            out = Arrays.copyOf(out, n + file.length);
            System.arraycopy(file, 0, out, n, file.length);
        }
        return out;
    }

    private static void assertHoldsRecords(ImageDataset data, byte[] records) {
        int n = records.length / RECORD;
        assertThat(data.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(data.labels()[i]).as("label %d", i).isEqualTo(records[i * RECORD]);
            assertThat(Arrays.copyOfRange(data.pixels(), i * PIXELS, (i + 1) * PIXELS)).as("pixels of %d", i)
                    .isEqualTo(Arrays.copyOfRange(records, i * RECORD + 1, (i + 1) * RECORD));
        }
    }

    private void assertIsTheSyntheticDataset(Path directory) throws IOException {
        Map<String, byte[]> files = SyntheticCifar10.files(TRAIN, TEST, 7L);
        ImageDataset train = FORMAT.load(CIFAR10, directory, Split.TRAIN);
        ImageDataset test = FORMAT.load(CIFAR10, directory, Split.TEST);
        assertThat(train.name()).isEqualTo("cifar10");
        assertThat(train.split()).isEqualTo(Split.TRAIN);
        assertThat(test.split()).isEqualTo(Split.TEST);
        assertThat(train.sampleShape()).containsExactly(3, 32, 32);
        assertThat(test.sampleShape()).containsExactly(3, 32, 32);
        assertThat(train.numClasses()).isEqualTo(10);
        assertHoldsRecords(train, concat(files, TRAIN_FILES));
        assertHoldsRecords(test, files.get(TEST_FILE));
        assertThat(train.size()).isEqualTo(TRAIN);
        assertThat(test.size()).isEqualTo(TEST);
    }

    @Test
    void loadsTheArchiveUnpackingItInPlace() throws IOException {
        SyntheticCifar10.writeArchive(dir, TRAIN, TEST, 7L);
        assertThat(FORMAT.isComplete(dir)).isTrue();
        assertIsTheSyntheticDataset(dir);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no scratch directory left")
                    .containsExactlyInAnyOrder(ARCHIVE, DIRECTORY);
        }
        try (Stream<Path> files = Files.list(dir.resolve(DIRECTORY))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data_batch_1.bin",
                    "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin",
                    "batches.meta.txt");
        }
        assertThat(Cifar10BinaryFormat.classNames(dir.resolve(DIRECTORY))).contains(CIFAR10.classNames());
    }

    @Test
    void loadsTheBatchDirectory() throws IOException {
        assertThat(SyntheticCifar10.write(dir, TRAIN, TEST, 7L)).isEqualTo(dir.resolve(DIRECTORY));
        assertThat(FORMAT.isComplete(dir)).isTrue();
        assertIsTheSyntheticDataset(dir);
        assertThat(dir.resolve(ARCHIVE)).doesNotExist();
    }

    @Test
    void loadsAFlatDirectoryOfBatches() throws IOException {
        for (Map.Entry<String, byte[]> file : SyntheticCifar10.files(TRAIN, TEST, 7L).entrySet()) {
            if (file.getKey().endsWith(".bin")) {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
        }
        assertThat(FORMAT.isComplete(dir)).isTrue();
        assertIsTheSyntheticDataset(dir);
        assertThat(Cifar10BinaryFormat.classNames(dir)).as("batches.meta.txt is optional").isEmpty();
    }

    @Test
    void theArchiveIsUnpackedOverAnIncompleteBatchDirectory() throws IOException {
        SyntheticCifar10.writeArchive(dir, TRAIN, TEST, 7L);
        Files.createDirectories(dir.resolve(DIRECTORY));
        Files.write(dir.resolve(DIRECTORY).resolve("data_batch_1.bin"), new byte[3]);
        assertIsTheSyntheticDataset(dir);
    }

    /** One record: label, then the pixel at (channel, row, col) is {@code value(sample, channel, row, col)}. */
    private static int value(int sample, int channel, int row, int col) {
        return (sample * 97 + channel * 61 + row * 7 + col) & 0xFF;
    }

    private static byte[] handMadeRecords(int... labels) {
        byte[] out = new byte[labels.length * RECORD];
        for (int i = 0; i < labels.length; i++) {
            out[i * RECORD] = (byte) labels[i];
            int p = i * RECORD + 1;
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < 32; r++) {
                    for (int k = 0; k < 32; k++) {
                        out[p++] = (byte) value(i, c, r, k);
                    }
                }
            }
        }
        return out;
    }

    private Path writeBatches(Path into, Map<String, byte[]> replaced) throws IOException {
        Files.createDirectories(into);
        for (int b = 0; b < TRAIN_FILES.size(); b++) {
            Files.write(into.resolve(TRAIN_FILES.get(b)), handMadeRecords(b, b, b));
        }
        Files.write(into.resolve(TEST_FILE), handMadeRecords(7, 9));
        for (Map.Entry<String, byte[]> file : replaced.entrySet()) {
            Files.write(into.resolve(file.getKey()), file.getValue());
        }
        return into;
    }

    @Test
    void pixelsKeepTheChannelMajorLayoutOfTheFile() throws IOException {
        writeBatches(dir, Map.of());
        ImageDataset test = FORMAT.load(CIFAR10, dir, Split.TEST);
        assertThat(test.labels()).containsExactly(7, 9);
        byte[] px = test.pixels();
        // sample s, channel c, row r, column k is at s*3072 + c*1024 + r*32 + k
        assertThat(px[0] & 0xFF).as("red (0,0) of sample 0").isEqualTo(value(0, 0, 0, 0)).isEqualTo(0);
        assertThat(px[1] & 0xFF).as("red (0,1)").isEqualTo(1);
        assertThat(px[32] & 0xFF).as("red (1,0)").isEqualTo(7);
        assertThat(px[1024] & 0xFF).as("green (0,0)").isEqualTo(61);
        assertThat(px[2048 + 5 * 32 + 3] & 0xFF).as("blue (5,3)").isEqualTo(122 + 35 + 3);
        assertThat(px[3071] & 0xFF).as("blue (31,31)").isEqualTo((122 + 217 + 31) & 0xFF);
        assertThat(px[3072] & 0xFF).as("red (0,0) of sample 1").isEqualTo(97);
        assertThat(px[3072 + 1024 + 32 + 2] & 0xFF).as("green (1,2) of sample 1").isEqualTo(97 + 61 + 7 + 2);
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 32; r++) {
                for (int k = 0; k < 32; k++) {
                    assertThat(px[3072 + c * 1024 + r * 32 + k] & 0xFF).isEqualTo(value(1, c, r, k));
                }
            }
        }
    }

    @Test
    void theTrainingSetIsBatchesOneToFiveInOrder() throws IOException {
        writeBatches(dir, Map.of());
        ImageDataset train = FORMAT.load(CIFAR10, dir, Split.TRAIN);
        assertThat(train.labels()).containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4);
        assertThat(train.pixels()[3 * PIXELS + 1024] & 0xFF).as("green (0,0) of batch 2's first").isEqualTo(61);
    }

    @Test
    void aBatchWhoseSizeIsNotWholeRecordsIsRejected() throws IOException {
        byte[] longer = Arrays.copyOf(handMadeRecords(1, 2), 2 * RECORD + 1);
        writeBatches(dir, Map.of("data_batch_2.bin", longer));
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(dir.resolve("data_batch_2.bin") + ": size 6147 is not a positive multiple of 3073 "
                        + "(records of 1 label byte and 3072 pixel bytes)");
    }

    @Test
    void anEmptyBatchIsRejected() throws IOException {
        writeBatches(dir, Map.of(TEST_FILE, new byte[0]));
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessage(dir.resolve(TEST_FILE) + ": size 0 is not a positive multiple of 3073 "
                        + "(records of 1 label byte and 3072 pixel bytes)");
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 255})
    void aLabelOfNoClassIsRejected(int label) throws IOException {
        writeBatches(dir, Map.of("data_batch_4.bin", handMadeRecords(3, label, 4)));
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(dir.resolve("data_batch_4.bin") + ": label of record 1 is " + label + ", outside [0, 10)");
    }

    @Test
    void aTruncatedArchiveIsRejectedAndLeavesNothing() throws IOException {
        byte[] whole = Files.readAllBytes(SyntheticCifar10.writeArchive(dir.resolve("gen"), TRAIN, TEST, 7L));
        for (int length : new int[] {0, 5, 20, whole.length / 2, whole.length - 9, whole.length - 1}) {
            Path at = Files.createDirectories(dir.resolve("cut-" + length));
            Path archive = Files.write(at.resolve(ARCHIVE), Arrays.copyOf(whole, length));
            assertThatThrownBy(() -> FORMAT.load(CIFAR10, at, Split.TRAIN)).as("%d of %d bytes", length, whole.length)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(archive + ": truncated or corrupt tar.gz (");
            try (Stream<Path> files = Files.list(at)) {
                assertThat(files).as("only the archive remains").containsExactly(archive);
            }
        }
    }

    @Test
    void aCorruptArchiveIsRejected() throws IOException {
        Path archive = SyntheticCifar10.writeArchive(dir, TRAIN, TEST, 7L);
        byte[] bytes = Files.readAllBytes(archive);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 16; i++) {
            bytes[i] ^= 0x5A;
        }
        Files.write(archive, bytes);
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(archive + ": truncated or corrupt tar.gz (");
        assertThat(dir.resolve(DIRECTORY)).doesNotExist();
    }

    @Test
    void anArchiveWithoutEveryBatchIsRejectedNamingTheMissingMember() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        SyntheticCifar10.files(TRAIN, TEST, 7L).forEach((name, bytes) -> {
            if (!name.equals(TEST_FILE)) {
                entries.put(DIRECTORY + "/" + name, bytes);
            }
        });
        Path archive = dir.resolve(ARCHIVE);
        SyntheticCifar10.tarGz(archive, entries);
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(archive + ": missing member cifar-10-batches-bin/test_batch.bin (is this the right archive?)");
        assertThat(dir.resolve(DIRECTORY)).as("nothing unpacked").doesNotExist();
    }

    static Stream<String> escapingEntries() {
        return Stream.of("../evil.bin", "cifar-10-batches-bin/../../evil.bin", "/tmp/streamtrain-evil.bin", "..");
    }

    @ParameterizedTest
    @MethodSource("escapingEntries")
    void anEntryLeavingTheDirectoryIsRefused(String name) throws IOException {
        Path inner = Files.createDirectories(dir.resolve("inner"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        SyntheticCifar10.files(TRAIN, TEST, 7L).forEach((file, bytes) -> entries.put(DIRECTORY + "/" + file, bytes));
        entries.put(name, new byte[] {1, 2, 3});
        Path archive = inner.resolve(ARCHIVE);
        SyntheticCifar10.tarGz(archive, entries);
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, inner, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessage(archive + ": entry '" + name + "' would be written outside the directory; refusing to "
                        + "unpack");
        assertThat(dir.resolve("evil.bin")).doesNotExist();
        assertThat(Path.of("/tmp/streamtrain-evil.bin")).doesNotExist();
        assertThat(inner.resolve(DIRECTORY)).as("nothing unpacked").doesNotExist();
    }

    @Test
    void aLinkEntryIsRefused() throws IOException {
        Path archive = dir.resolve(ARCHIVE);
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            TarArchiveEntry link = new TarArchiveEntry(DIRECTORY + "/test_batch.bin", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessage(archive + ": entry 'cifar-10-batches-bin/test_batch.bin' is a link or special file; only "
                        + "files and directories are unpacked");
    }

    @Test
    void completenessAndWhatIsMissing() throws IOException {
        assertThat(FORMAT.isComplete(dir)).isFalse();
        assertThat(FORMAT.describeMissing(dir)).isEqualTo("missing cifar-10-binary.tar.gz (or cifar-10-batches-bin/ "
                + "with data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, "
                + "test_batch.bin)");
        Path batches = SyntheticCifar10.write(dir, TRAIN, TEST, 7L);
        assertThat(FORMAT.isComplete(dir)).isTrue();
        assertThat(FORMAT.isComplete(batches)).isTrue();
        Files.delete(batches.resolve("data_batch_5.bin"));
        Files.delete(batches.resolve(TEST_FILE));
        assertThat(FORMAT.isComplete(dir)).isFalse();
        assertThat(FORMAT.describeMissing(dir))
                .isEqualTo("missing cifar-10-binary.tar.gz, and cifar-10-batches-bin/ lacks data_batch_5.bin, "
                        + "test_batch.bin");
        assertThat(FORMAT.describeMissing(batches)).isEqualTo("missing cifar-10-binary.tar.gz, and lacks "
                + "data_batch_5.bin, test_batch.bin");
        Files.createDirectory(batches.resolve(TEST_FILE));
        Files.write(batches.resolve("data_batch_5.bin"), new byte[RECORD]);
        assertThat(FORMAT.isComplete(batches)).as("a directory is not a file").isFalse();
        Files.write(dir.resolve(ARCHIVE), new byte[1]);
        assertThat(FORMAT.isComplete(dir)).as("the archive will do (it is checked when unpacked)").isTrue();
        assertThat(FORMAT.name()).isEqualTo("cifar10-binary");
        assertThat(FORMAT.files()).hasSize(6).startsWith("data_batch_1.bin").endsWith("test_batch.bin");
    }

    @Test
    void aDirectoryWithNothingUsableSaysSo() {
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir + ": missing cifar-10-binary.tar.gz (or cifar-10-batches-bin/ with ");
    }

    static Stream<Split> splitsNotInTheFiles() {
        return Arrays.stream(Split.values()).filter(s -> s != Split.TRAIN && s != Split.TEST);
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("splitsNotInTheFiles")
    void refusesSplitsTheFilesDoNotHold(Split split) throws IOException {
        SyntheticCifar10.write(dir, TRAIN, TEST, 7L);
        assertThatThrownBy(() -> FORMAT.load(CIFAR10, dir, split)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cifar10-binary files hold the TRAIN and TEST splits, not " + split);
    }

    @Test
    void theGeneratedDatasetIsLearnableBandsPerClass() {
        ImageDataset data = SyntheticCifar10.dataset("cifar10", Split.TRAIN, 50, 3L);
        for (int i = 0; i < data.size(); i++) {
            int label = data.labels()[i];
            int lit = data.pixels()[i * PIXELS + 1024 + (3 * label + 1) * 32 + 5] & 0xFF;
            int dark = data.pixels()[i * PIXELS + 1024 + ((3 * label + 16) % 30) * 32 + 5] & 0xFF;
            assertThat(lit).as("sample %d's band", i).isGreaterThanOrEqualTo(160);
            assertThat(dark).as("sample %d outside its band", i).isLessThan(60);
        }
    }
}
