package dev.streamtrain.model.layer;

/** {@code nn.Flatten()}: [C, H, W] to [C*H*W], row-major (C order), as torch flattens NCHW. */
public record Flatten() implements Layer {

    @Override
    public Shape outputShape(Shape input) {
        return Shape.of(input.size());
    }

    @Override
    public String describe() {
        return "Flatten()";
    }
}
