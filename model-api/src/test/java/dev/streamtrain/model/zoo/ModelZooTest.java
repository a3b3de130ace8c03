package dev.streamtrain.model.zoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.TensorLayout;
import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The built-in models: their networks, layouts, options and the inputs they refuse. */
class ModelZooTest {

    private static final Shape MNIST = Shape.of(1, 28, 28);
    private static final Shape CIFAR = Shape.of(3, 32, 32);

    @Test
    void everyBuiltInModelIsRegistered() {
        assertThat(Models.names()).contains("tutorial-mlp", "mlp", "convnet-small", "lenet5");
    }

    @Test
    void tutorialMlpIsTheTutorialsNetworkWithTheLayoutOfEverySnapshotSoFar() {
        Architecture tutorial = Models.build("tutorial-mlp", Map.of(), MNIST, 10);
        assertThat(tutorial.layout()).extracting(TensorLayout::toString).containsExactly(
                "0_W [784, 512]", "0_b [512]", "1_W [512, 512]", "1_b [512]", "2_W [512, 10]", "2_b [10]");
        assertThat(tutorial.parameterCount()).isEqualTo(669_706);
        assertThat(tutorial.describe()).isEqualTo("""
                Sequential(
                  (0): Flatten()
                  (1): Linear(in_features=784, out_features=512)
                  (2): ReLU()
                  (3): Linear(in_features=512, out_features=512)
                  (4): ReLU()
                  (5): Linear(in_features=512, out_features=10)
                )""");
        assertThatIllegalArgumentException().isThrownBy(() -> Models.build("tutorial-mlp", Map.of(), CIFAR, 10))
                .withMessageContaining("tutorial-mlp takes samples of shape [1, 28, 28] with 10 classes; use model "
                        + "'mlp' for other inputs");
    }

    @Test
    void mlpWithItsDefaultsIsTheTutorialsNetwork() {
        assertThat(Models.build("mlp", Map.of(), MNIST, 10)).isEqualTo(TutorialMlp.architecture());
        assertThat(Models.resolveOptions("mlp", Map.of())).containsExactly(Map.entry("hidden", List.of(512, 512)),
                Map.entry("activation", "relu"), Map.entry("dropout", 0.0), Map.entry("batchNorm", false));
    }

    @Test
    void mlpTakesItsInputSizeFromTheDatasetAndHasBatchNormAndDropout() {
        Map<String, Object> options = Models.resolveOptions("mlp", Map.of("hidden", List.of(512, 512),
                "batch_norm", true, "dropout", 0.2, "activation", "tanh"));
        Architecture cifar = Models.build("mlp", options, CIFAR, 10);
        assertThat(cifar.layers()).extracting(Layer::describe).containsExactly("Flatten()",
                "Linear(in_features=3072, out_features=512)", "BatchNorm(512, eps=1.0E-5, momentum=0.1)", "Tanh()",
                "Dropout(p=0.2)", "Linear(in_features=512, out_features=512)",
                "BatchNorm(512, eps=1.0E-5, momentum=0.1)", "Tanh()", "Dropout(p=0.2)",
                "Linear(in_features=512, out_features=10)");
        assertThat(cifar.layout()).extracting(TensorLayout::toString).containsExactly("0_W [3072, 512]", "0_b [512]",
                "1_gamma [512]", "1_beta [512]", "1_mean [512]", "1_var [512]", "2_W [512, 512]", "2_b [512]",
                "3_gamma [512]", "3_beta [512]", "3_mean [512]", "3_var [512]", "4_W [512, 10]", "4_b [10]");
        assertThat(cifar.parameters()).filteredOn(p -> !p.trainable()).extracting(p -> p.name())
                .containsExactly("1_mean", "1_var", "3_mean", "3_var");
    }

    @Test
    void convnetSmallIsTheMnistVariantsNetGeneralisedToTheInput() {
        Architecture mnist = Models.build("convnet-small", Map.of(), MNIST, 10);
        assertThat(mnist.layers()).extracting(Layer::describe).containsExactly(
                "Conv2d(1, 8, kernel_size=3, stride=1, padding=0)", "ReLU()", "Flatten()",
                "Linear(in_features=5408, out_features=10)");
        assertThat(mnist.layout()).extracting(TensorLayout::toString).containsExactly("0_W [8, 1, 3, 3]", "0_b [8]",
                "1_W [5408, 10]", "1_b [10]");
        Architecture cifar = Models.build("convnet-small", Map.of("activation", "identity"), CIFAR, 10);
        assertThat(cifar.layers()).extracting(Layer::describe).containsExactly(
                "Conv2d(3, 8, kernel_size=3, stride=1, padding=0)", "Flatten()",
                "Linear(in_features=7200, out_features=10)");
    }

    @Test
    void lenet5FitsTwentyEightAndThirtyTwoPixelImages() {
        Architecture mnist = Models.build("lenet5", Map.of(), MNIST, 10);
        Architecture cifar = Models.build("lenet5", Map.of(), CIFAR, 10);
        assertThat(mnist.layers().get(0).describe()).isEqualTo("Conv2d(1, 6, kernel_size=5, stride=1, padding=2)");
        assertThat(cifar.layers().get(0).describe()).isEqualTo("Conv2d(3, 6, kernel_size=5, stride=1, padding=0)");
        assertThat(cifar.layout()).extracting(TensorLayout::toString).containsExactly("0_W [6, 3, 5, 5]", "0_b [6]",
                "1_W [16, 6, 5, 5]", "1_b [16]", "2_W [400, 120]", "2_b [120]", "3_W [120, 84]", "3_b [84]",
                "4_W [84, 10]", "4_b [10]");
        assertThatIllegalArgumentException().isThrownBy(() -> Models.build("lenet5", Map.of(), Shape.of(1, 64, 64), 10))
                .withMessage("model lenet5 does not fit samples of shape [1, 64, 64] with 10 classes: lenet5 takes "
                        + "28x28 or 32x32 images, got [1, 64, 64]");
    }

    @Test
    void optionsAreCheckedAndNamedWithWhoseTheyAre() {
        assertThatIllegalArgumentException().isThrownBy(() -> Models.resolveOptions("lenet5", Map.of("hidden",
                List.of(3)))).withMessage("model option 'hidden' is an option of mlp, not of lenet5 (lenet5 takes no "
                        + "options)");
        assertThatIllegalArgumentException().isThrownBy(() -> Models.resolveOptions("mlp", Map.of("width", 3)))
                .withMessage("model option 'width' is not an option of any model (mlp takes hidden, activation, "
                        + "dropout, batch_norm)");
        assertThatIllegalArgumentException().isThrownBy(() -> Models.resolveOptions("mlp", Map.of("dropout", 1.5)))
                .withMessage("model mlp: dropout must be in [0, 1), got 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> Models.resolveOptions("mlp", Map.of("activation",
                "gelu"))).withMessage("model mlp: activation must be relu, tanh or sigmoid, got 'gelu'");
        assertThatIllegalArgumentException().isThrownBy(() -> Models.get("resnet"))
                .withMessageStartingWith("unknown model 'resnet'; known: [tutorial-mlp, mlp, convnet-small, lenet5");
    }

    @Test
    void architecturesRoundTripThroughJsonAsRunSpecsHoldThem() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Architecture mlp = Models.build("mlp", Models.resolveOptions("mlp", Map.of("batch_norm", true, "dropout", 0.5)),
                CIFAR, 10);
        for (Architecture a : List.of(mlp, Models.build("lenet5", Map.of(), MNIST, 10), TutorialMlp.architecture())) {
            assertThat(json.readValue(json.writeValueAsString(a), Architecture.class)).isEqualTo(a);
        }
        assertThat(json.writeValueAsString(Models.build("convnet-small", Map.of(), MNIST, 10))).isEqualTo(
                "{\"inputShape\":[1,28,28],\"classes\":10,\"layers\":[{\"type\":\"conv2d\",\"inChannels\":1,"
                        + "\"outChannels\":8,\"kernelSize\":3,\"stride\":1,\"padding\":0},{\"type\":\"relu\"},"
                        + "{\"type\":\"flatten\"},{\"type\":\"linear\",\"inFeatures\":5408,\"outFeatures\":10}]}");
    }
}
