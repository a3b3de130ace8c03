package dev.streamtrain.model.layer;

import dev.streamtrain.model.TensorLayout;

import java.util.Objects;

/**
 * One parameter tensor of a network: its name and shape on the wire, how PyTorch initialises it,
 * and whether an optimizer trains it (weights, biases, batch-norm scale and shift) or the layer
 * itself updates it in training-mode forward passes (batch-norm running statistics, PyTorch's
 * "buffers").
 */
public record ParameterTensor(TensorLayout layout, Init init, boolean trainable) {

    public ParameterTensor {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(init, "init");
    }

    public static ParameterTensor trained(String name, Init init, int... shape) {
        return new ParameterTensor(new TensorLayout(name, shape), init, true);
    }

    public static ParameterTensor buffer(String name, Init init, int... shape) {
        return new ParameterTensor(new TensorLayout(name, shape), init, false);
    }

    public String name() {
        return layout.name();
    }

    public int size() {
        return (int) layout.size();
    }
}
