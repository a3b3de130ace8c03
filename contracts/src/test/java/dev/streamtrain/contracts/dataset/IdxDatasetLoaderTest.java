package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.streamtrain.contracts.dataset.SyntheticIdxDataset.idxBytes;
import static dev.streamtrain.contracts.dataset.SyntheticIdxDataset.writeIdx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxDatasetLoaderTest {

    private static final KnownDataset MNIST = KnownDataset.MNIST;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Split.class)
    void loadsBothSplitsOfTheSyntheticDataset(Split split) throws IOException {
        SyntheticIdxDataset.write(dir, MNIST, 12, 5, 7L);
        ImageDataset data = IdxDatasetLoader.load(MNIST, dir, split);
        int n = split == Split.TRAIN ? 12 : 5;
        assertThat(data.name()).isEqualTo("mnist");
        assertThat(data.split()).isEqualTo(split);
        assertThat(data.size()).isEqualTo(n);
        assertThat(data.sampleShape()).containsExactly(1, 28, 28);
        assertThat(data.sampleSize()).isEqualTo(784);
        assertThat(data.numClasses()).isEqualTo(10);
        assertThat(data.pixels()).isEqualTo(IdxFile.read(dir.resolve(MNIST.images(split).gzipName())).data());
        assertThat(data.labels()).isEqualTo(IdxFile.read(dir.resolve(MNIST.labels(split).gzipName())).data());
    }

    @Test
    void loadsRawFilesWithNonSquareImages() throws IOException {
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Files.write(dir.resolve("train-images-idx3-ubyte"), idxBytes(new int[] {2, 2, 3}, pixels));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idxBytes(new int[] {2}, new byte[] {9, 0}));
        ImageDataset data = IdxDatasetLoader.load(MNIST, dir, Split.TRAIN);
        assertThat(data.sampleShape()).containsExactly(1, 2, 3);
        assertThat(data.pixels()).containsExactly(pixels);
        assertThat(data.labels()).containsExactly(9, 0);
    }

    @Test
    void prefersTheGzippedFileOverTheRawOne() throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {1, 1, 1}, new byte[] {42});
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idxBytes(new int[] {1, 1, 1}, new byte[] {7}));
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {1}, new byte[] {3});
        assertThat(IdxDatasetLoader.load(MNIST, dir, Split.TEST).pixels()).containsExactly(42);
    }

    @Test
    void rejectsMoreImagesThanLabels() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(images, new int[] {3, 28, 28}, new byte[3 * 784]);
        writeIdx(labels, new int[] {2}, new byte[2]);
        assertThatThrownBy(() -> IdxDatasetLoader.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(images + " holds 3 images but " + labels + " holds 2 labels");
    }

    @Test
    void rejectsALabelOutsideTheClasses() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 2, 2}, new byte[12]);
        writeIdx(labels, new int[] {3}, new byte[] {9, 0, 10});
        assertThatThrownBy(() -> IdxDatasetLoader.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(labels + ": mnist TRAIN: label of sample 2 is 10, outside [0, 10)");
    }

    @Test
    void labelsAreUnsignedBytes() throws IOException {
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {1, 1, 1}, new byte[1]);
        writeIdx(labels, new int[] {1}, new byte[] {(byte) 0xFF});
        assertThatThrownBy(() -> IdxDatasetLoader.load(MNIST, dir, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessage(labels + ": mnist TEST: label of sample 0 is 255, outside [0, 10)");
    }

    @Test
    void rejectsImagesOfTheWrongRank() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        writeIdx(images, new int[] {2, 784}, new byte[2 * 784]);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {2}, new byte[2]);
        assertThatThrownBy(() -> IdxDatasetLoader.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(images + ": image files hold [count, rows, cols], got dimensions [2, 784]");
    }

    @Test
    void rejectsLabelsOfTheWrongRank() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {2, 1, 1}, new byte[2]);
        writeIdx(labels, new int[] {2, 1}, new byte[2]);
        assertThatThrownBy(() -> IdxDatasetLoader.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(labels + ": label files hold [count], got dimensions [2, 1]");
    }

    @Test
    void namesAMissingFile() throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {1, 1, 1}, new byte[1]);
        assertThatThrownBy(() -> IdxDatasetLoader.load(MNIST, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(dir + " has neither train-labels-idx1-ubyte.gz nor train-labels-idx1-ubyte");
        assertThatThrownBy(() -> IdxDatasetLoader.load(MNIST, dir, Split.TEST)).isInstanceOf(IOException.class)
                .hasMessage(dir + " has neither t10k-images-idx3-ubyte.gz nor t10k-images-idx3-ubyte");
    }

    @Test
    void isCompleteNeedsAllFourFilesGzippedOrRaw() throws IOException {
        assertThat(IdxDatasetLoader.isComplete(MNIST, dir)).isFalse();
        SyntheticIdxDataset.write(dir, MNIST, 2, 2, 1L);
        assertThat(IdxDatasetLoader.isComplete(MNIST, dir)).isTrue();
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        Files.move(labels, dir.resolve("t10k-labels-idx1-ubyte"));
        assertThat(IdxDatasetLoader.isComplete(MNIST, dir)).isTrue();
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertThat(IdxDatasetLoader.isComplete(MNIST, dir)).isFalse();
        Files.createDirectory(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThat(IdxDatasetLoader.isComplete(MNIST, dir)).as("a directory is not a file").isFalse();
    }
}
