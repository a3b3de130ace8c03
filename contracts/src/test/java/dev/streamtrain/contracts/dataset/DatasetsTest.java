package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetsTest {

    @TempDir
    Path dir;

    @Test
    void theRegistryHoldsEveryDefinitionAndFormat() {
        assertThat(Datasets.names()).containsExactly("cifar10", "fashion-mnist", "mnist");
        assertThat(Datasets.formatNames()).containsExactly("cifar10-binary", "idx");
        assertThat(Datasets.get("cifar10")).isInstanceOf(Cifar10.class);
        assertThat(Datasets.format("idx")).isInstanceOf(IdxFormat.class);
        assertThat(Datasets.format("CIFAR10-binary")).isInstanceOf(Cifar10BinaryFormat.class);
    }

    @Test
    void getIgnoresCase() {
        assertThat(Datasets.get("Fashion-MNIST")).isInstanceOf(FashionMnist.class);
        assertThat(Datasets.get("mnist")).isInstanceOf(Mnist.class);
        assertThat(Datasets.isRegistered("MNIST")).isTrue();
        assertThat(Datasets.isRegistered("cifar-100")).isFalse();
    }

    @Test
    void anUnknownNameListsTheKnownOnesAndHowToGiveYourOwn() {
        assertThatIllegalArgumentException().isThrownBy(() -> Datasets.get("cifar-100"))
                .withMessage("unknown dataset 'cifar-100'; known: cifar10, fashion-mnist, mnist; "
                        + "or give --dataset-format idx --data DIR --classes N");
        assertThatIllegalArgumentException().isThrownBy(() -> Datasets.format("npz"))
                .withMessage("unknown dataset format 'npz'; known: cifar10-binary, idx");
    }

    @Test
    void describesWhereFashionMnistLives() {
        DatasetDefinition d = Datasets.get("fashion-mnist");
        assertThat(d.name()).isEqualTo("fashion-mnist");
        assertThat(d.numClasses()).isEqualTo(10);
        assertThat(d.classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                "Shirt", "Sneaker", "Bag", "Ankle boot");
        assertThat(d.format()).isSameAs(IdxFormat.INSTANCE);
        assertThat(d.systemDirectory()).contains(Path.of("/usr/share/datasets/fashion-mnist"));
        assertThat(d.systemPackageHint()).contains("apt-get install dataset-fashion-mnist");
        assertThat(d.downloads().mirrors())
                .containsExactly(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));
        assertThat(d.downloads().files()).containsExactly(
                new DatasetFile("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                new DatasetFile("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                new DatasetFile("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                new DatasetFile("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"));
    }

    @Test
    void mnistHasTwoMirrorsAndNoSystemPackage() {
        DatasetDefinition d = Datasets.get("mnist");
        assertThat(d.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(d.systemDirectory()).isEqualTo(Optional.empty());
        assertThat(d.systemPackageHint()).isEmpty();
        assertThat(d.downloads().mirrors()).containsExactly(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                URI.create("http://yann.lecun.com/exdb/mnist/"));
        assertThat(d.downloads().files()).extracting(DatasetFile::name).containsExactly(
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void cifar10IsOneArchiveFromToronto() {
        DatasetDefinition d = Datasets.get("cifar10");
        assertThat(d.classNames()).containsExactly("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                "horse", "ship", "truck");
        assertThat(d.format()).isSameAs(Cifar10BinaryFormat.INSTANCE);
        assertThat(d.downloads()).isEqualTo(new DatasetDownloads(List.of(URI.create("https://www.cs.toronto.edu/~kriz/")),
                List.of(new DatasetFile("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"))));
        assertThat(d.downloads().describe()).isEqualTo("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
        assertThat(d.systemDirectory()).isEmpty();
    }

    @Test
    void aCustomDatasetHasNumberedClassesAndNoDownloads() {
        DatasetDefinition d = Datasets.custom("letters", "idx", 26);
        assertThat(d.name()).isEqualTo("letters");
        assertThat(d.numClasses()).isEqualTo(26);
        assertThat(d.classNames()).hasSize(26).startsWith("0", "1").endsWith("25");
        assertThat(d.format()).isEqualTo(IdxFormat.INSTANCE).isEqualTo(Datasets.format("idx"));
        assertThat(d.downloads().isEmpty()).isTrue();
        assertThat(d.systemDirectory()).isEmpty();
        assertThat(d.systemPackageHint()).isEmpty();
    }

    @Test
    void aCustomDatasetIsCheckedWhenMade() {
        assertThatIllegalArgumentException().isThrownBy(() -> Datasets.custom("x", "idx", 0))
                .withMessage("classes must be in [1, 256] (labels are bytes), got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> Datasets.custom("x", "idx", 257))
                .withMessage("classes must be in [1, 256] (labels are bytes), got 257");
        assertThatIllegalArgumentException().isThrownBy(() -> Datasets.custom("x", "csv", 2))
                .withMessage("unknown dataset format 'csv'; known: cifar10-binary, idx");
        assertThatIllegalArgumentException().isThrownBy(() -> Datasets.custom("../etc", "idx", 2))
                .withMessageStartingWith("a dataset name is letters, digits, '.', '_' and '-'");
    }

    @Test
    void aCustomIdxDatasetRejectsLabelsOfClassesItDoesNotHave() throws IOException {
        DatasetDefinition three = Datasets.custom("three", "idx", 3);
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        SyntheticIdxDataset.writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 2, 2}, new byte[12]);
        SyntheticIdxDataset.writeIdx(labels, new int[] {3}, new byte[] {2, 0, 3});
        assertThatThrownBy(() -> three.format().load(three, dir, Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessage(labels + ": three TRAIN: label of sample 2 is 3, outside [0, 3)");
    }

    @Test
    void aCustomIdxDatasetLoadsItsOwnClasses() throws IOException {
        DatasetDefinition three = Datasets.custom("three", "idx", 3);
        SyntheticIdxDataset.write(dir, three, 30, 6, 4L);
        ImageDataset train = three.format().load(three, dir, Split.TRAIN);
        assertThat(train.name()).isEqualTo("three");
        assertThat(train.numClasses()).isEqualTo(3);
        assertThat(train.size()).isEqualTo(30);
        for (byte label : train.labels()) {
            assertThat(label).isBetween((byte) 0, (byte) 2);
        }
    }

    @Test
    void aRegisteredDatasetInAnotherFormatKeepsItsNameAndClassesUnlessGivenOthers() {
        DatasetDefinition fashion = Datasets.get("fashion-mnist");
        DatasetDefinition same = Datasets.withFormat(fashion, "cifar10-binary", 0);
        assertThat(same.name()).isEqualTo("fashion-mnist");
        assertThat(same.format()).isEqualTo(Cifar10BinaryFormat.INSTANCE);
        assertThat(same.classNames()).isEqualTo(fashion.classNames());
        assertThat(same.downloads().isEmpty()).isTrue();
        assertThat(Datasets.withFormat(fashion, "idx", 4).classNames()).containsExactly("0", "1", "2", "3");
    }
}
