package dev.streamtrain.model.layer;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * One layer of a sequential network, named and parameterised as in PyTorch's {@code torch.nn}. A
 * layer knows the shape it makes of its input's shape and the parameter tensors it owns; engines
 * know how to compute it. In a run spec each layer is a JSON object whose {@code type} is the
 * name registered below (docs/wire-format.md, "Architecture").
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Flatten.class, name = "flatten"),
        @JsonSubTypes.Type(value = Linear.class, name = "linear"),
        @JsonSubTypes.Type(value = Conv2d.class, name = "conv2d"),
        @JsonSubTypes.Type(value = MaxPool2d.class, name = "maxpool2d"),
        @JsonSubTypes.Type(value = BatchNorm.class, name = "batchnorm"),
        @JsonSubTypes.Type(value = Dropout.class, name = "dropout"),
        @JsonSubTypes.Type(value = ReLU.class, name = "relu"),
        @JsonSubTypes.Type(value = Tanh.class, name = "tanh"),
        @JsonSubTypes.Type(value = Sigmoid.class, name = "sigmoid")})
public sealed interface Layer permits Flatten, Linear, Conv2d, MaxPool2d, BatchNorm, Dropout, ReLU, Tanh, Sigmoid {

    /**
     * The shape of this layer's output for an input of {@code input} (per sample: [C, H, W] or
     * [F]); throws {@link IllegalArgumentException} naming the mismatch if the input does not fit.
     */
    Shape outputShape(Shape input);

    /** The parameter tensors this layer owns, in order, named with {@code prefix} (e.g. {@code 0_}). */
    default List<ParameterTensor> parameters(String prefix) {
        return List.of();
    }

    /** PyTorch's spelling of the layer, e.g. {@code Linear(in_features=784, out_features=512)}. */
    String describe();
}
