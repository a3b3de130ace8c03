package dev.streamtrain.model;

import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.ParameterTensor;
import dev.streamtrain.model.layer.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A network as a sequence of layers ({@code nn.Sequential}) over samples of {@code inputShape},
 * ending in a {@link Linear} layer of {@code classes} outputs: the logits. What the last layer's
 * outputs become (probabilities, log-probabilities) is the loss's business. Checked once here:
 * every layer must fit the shape the layers before it produce.
 *
 * <p>Parameter tensors are named by the index {@code k} of their layer among the layers that have
 * parameters: {@code k_W}, {@code k_b} (Linear, Conv2d), {@code k_gamma}, {@code k_beta},
 * {@code k_mean}, {@code k_var} (BatchNorm). This is the layout of the run's snapshots.
 */
public record Architecture(Shape inputShape, int classes, List<Layer> layers) {

    public Architecture {
        Objects.requireNonNull(inputShape, "architecture.inputShape");
        Objects.requireNonNull(layers, "architecture.layers");
        layers = List.copyOf(layers);
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Linear last)) {
            throw new IllegalArgumentException("a network must end with a Linear layer producing the logits, got "
                    + (layers.isEmpty() ? "no layers" : layers.get(layers.size() - 1).describe()));
        }
        if (last.outFeatures() != classes) {
            throw new IllegalArgumentException("the last layer " + last.describe() + " produces " + last.outFeatures()
                    + " logits, but there are " + classes + " classes");
        }
        Shape shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            try {
                shape = layers.get(i).outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + ": " + e.getMessage() + " (input samples "
                        + inputShape + ")", e);
            }
        }
    }

    /** Every parameter tensor, in layer order: the snapshot layout, with init and trainability. */
    public List<ParameterTensor> parameters() {
        List<ParameterTensor> out = new ArrayList<>();
        int k = 0;
        for (Layer layer : layers) {
            List<ParameterTensor> own = layer.parameters(k + "_");
            out.addAll(own);
            k += own.isEmpty() ? 0 : 1;
        }
        return out;
    }

    /** The parameter tensors' names and shapes: the layout of this network's snapshots. */
    public List<TensorLayout> layout() {
        return parameters().stream().map(ParameterTensor::layout).toList();
    }

    public int parameterCount() {
        return parameters().stream().mapToInt(ParameterTensor::size).sum();
    }

    /** The network as PyTorch prints an {@code nn.Sequential}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("Sequential(\n");
        for (int i = 0; i < layers.size(); i++) {
            sb.append("  (").append(i).append("): ").append(layers.get(i).describe()).append('\n');
        }
        return sb.append(')').toString();
    }
}
