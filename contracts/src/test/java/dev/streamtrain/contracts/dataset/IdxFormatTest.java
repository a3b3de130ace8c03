package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.streamtrain.contracts.dataset.SyntheticIdxDataset.idxBytes;
import static dev.streamtrain.contracts.dataset.SyntheticIdxDataset.writeIdx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxFormatTest {

    private static final DatasetDefinition MNIST = new Mnist();
    private static final IdxFormat IDX = IdxFormat.INSTANCE;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Split.class, names = {"TRAIN", "TEST"})
    void loadsBothSplitsOfTheSyntheticDataset(Split split) throws IOException {
        SyntheticIdxDataset.write(dir, MNIST, 12, 5, 7L);
        ImageDataset data = IDX.load(MNIST, dir, split);
        int n = split == Split.TRAIN ? 12 : 5;
        assertThat(data.name()).isEqualTo("mnist");
        assertThat(data.split()).isEqualTo(split);
        assertThat(data.size()).isEqualTo(n);
        assertThat(data.sampleShape()).containsExactly(1, 28, 28);
        assertThat(data.sampleSize()).isEqualTo(784);
        assertThat(data.numClasses()).isEqualTo(10);
        assertThat(data.pixels()).isEqualTo(IdxFile.read(dir.resolve(IdxFormat.imagesFile(split) + ".gz")).data());
        assertThat(data.labels()).isEqualTo(IdxFile.read(dir.resolve(IdxFormat.labelsFile(split) + ".gz")).data());
    }

    @Test
    void loadsRawFilesWithNonSquareImages() throws IOException {
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Files.write(dir.resolve("train-images-idx3-ubyte"), idxBytes(new int[] {2, 2, 3}, pixels));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idxBytes(new int[] {2}, new byte[] {9, 0}));
        ImageDataset data = IDX.load(MNIST, dir, Split.TRAIN);
        assertThat(data.sampleShape()).containsExactly(1, 2, 3);
        assertThat(data.pixels()).containsExactly(pixels);
        assertThat(data.labels()).containsExactly(9, 0);
    }

    @Test
    void prefersTheGzippedFileOverTheRawOne() throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {1, 1, 1}, new byte[] {42});
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idxBytes(new int[] {1, 1, 1}, new byte[] {7}));
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {1}, new byte[] {3});
        assertThat(IDX.load(MNIST, dir, Split.TEST).pixels()).containsExactly(42);
    }

    @Test
    void rejectsMoreImagesThanLabels() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(images, new int[] {3, 28, 28}, new byte[3 * 784]);
        writeIdx(labels, new int[] {2}, new byte[2]);
        assertThatThrownBy(() -> IDX.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(images + " holds 3 images but " + labels + " holds 2 labels");
    }

    @Test
    void rejectsALabelOutsideTheClasses() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 2, 2}, new byte[12]);
        writeIdx(labels, new int[] {3}, new byte[] {9, 0, 10});
        assertThatThrownBy(() -> IDX.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(labels + ": mnist TRAIN: label of sample 2 is 10, outside [0, 10)");
    }

    @Test
    void labelsAreUnsignedBytes() throws IOException {
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {1, 1, 1}, new byte[1]);
        writeIdx(labels, new int[] {1}, new byte[] {(byte) 0xFF});
        assertThatThrownBy(() -> IDX.load(MNIST, dir, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessage(labels + ": mnist TEST: label of sample 0 is 255, outside [0, 10)");
    }

    @Test
    void rejectsImagesOfTheWrongRank() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        writeIdx(images, new int[] {2, 784}, new byte[2 * 784]);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {2}, new byte[2]);
        assertThatThrownBy(() -> IDX.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(images + ": image files hold [count, rows, cols], got dimensions [2, 784]");
    }

    @Test
    void rejectsLabelsOfTheWrongRank() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {2, 1, 1}, new byte[2]);
        writeIdx(labels, new int[] {2, 1}, new byte[2]);
        assertThatThrownBy(() -> IDX.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(labels + ": label files hold [count], got dimensions [2, 1]");
    }

    @Test
    void namesAMissingFile() throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {1, 1, 1}, new byte[1]);
        assertThatThrownBy(() -> IDX.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(dir + " has neither train-labels-idx1-ubyte.gz nor train-labels-idx1-ubyte");
        assertThatThrownBy(() -> IDX.load(MNIST, dir, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessage(dir + " has neither t10k-images-idx3-ubyte.gz nor t10k-images-idx3-ubyte");
    }

    static Stream<Split> splitsNotInTheFiles() {
        return Arrays.stream(Split.values()).filter(s -> s != Split.TRAIN && s != Split.TEST);
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("splitsNotInTheFiles")
    void refusesSplitsTheFilesDoNotHold(Split split) throws IOException {
        SyntheticIdxDataset.write(dir, MNIST, 2, 2, 1L);
        assertThatThrownBy(() -> IDX.load(MNIST, dir, split)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idx files hold the TRAIN and TEST splits, not " + split);
    }

    @Test
    void describesWhatIsMissing() throws IOException {
        SyntheticIdxDataset.write(dir, MNIST, 2, 2, 1L);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        assertThat(IDX.describeMissing(dir)).isEqualTo("missing train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz");
        assertThat(IDX.files()).containsExactly("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
        assertThat(IDX.name()).isEqualTo("idx");
    }

    @Test
    void isCompleteNeedsAllFourFilesGzippedOrRaw() throws IOException {
        assertThat(IDX.isComplete(dir)).isFalse();
        SyntheticIdxDataset.write(dir, MNIST, 2, 2, 1L);
        assertThat(IDX.isComplete(dir)).isTrue();
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        Files.move(labels, dir.resolve("t10k-labels-idx1-ubyte"));
        assertThat(IDX.isComplete(dir)).isTrue();
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertThat(IDX.isComplete(dir)).isFalse();
        Files.createDirectory(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThat(IDX.isComplete(dir)).as("a directory is not a file").isFalse();
    }
}
