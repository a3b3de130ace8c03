package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KnownDatasetTest {

    @Test
    void fromIdIgnoresCase() {
        assertThat(KnownDataset.fromId("Fashion-MNIST")).isEqualTo(KnownDataset.FASHION_MNIST);
        assertThat(KnownDataset.fromId("mnist")).isEqualTo(KnownDataset.MNIST);
    }

    @Test
    void fromIdListsTheKnownDatasets() {
        assertThatIllegalArgumentException().isThrownBy(() -> KnownDataset.fromId("cifar10"))
                .withMessage("unknown dataset 'cifar10'; known: fashion-mnist, mnist");
    }

    @Test
    void describesWhereFashionMnistLives() {
        KnownDataset d = KnownDataset.FASHION_MNIST;
        assertThat(d.id()).isEqualTo("fashion-mnist");
        assertThat(d.numClasses()).isEqualTo(10);
        assertThat(d.systemDirectory()).contains(Path.of("/usr/share/datasets/fashion-mnist"));
        assertThat(d.systemPackageHint()).contains("apt-get install dataset-fashion-mnist");
        assertThat(d.mirrors()).containsExactly(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));
        assertThat(d.images(Split.TRAIN)).isEqualTo(new DatasetFile("train-images-idx3-ubyte",
                "8d4fb7e6c68d591d4c3dfef9ec88bf0d"));
        assertThat(d.labels(Split.TEST).gzipName()).isEqualTo("t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void mnistHasNoSystemPackage() {
        assertThat(KnownDataset.MNIST.systemDirectory()).isEqualTo(Optional.empty());
        assertThat(KnownDataset.MNIST.systemPackageHint()).isEmpty();
        assertThat(KnownDataset.MNIST.mirrors()).hasSize(2);
        assertThat(KnownDataset.MNIST.files()).extracting(DatasetFile::baseName).containsExactly(
                "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte");
    }
}
