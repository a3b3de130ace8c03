package dev.streamtrain.model.layer;

/** {@code nn.Sigmoid()}, applied elementwise. */
public record Sigmoid() implements Layer {

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public String describe() {
        return "Sigmoid()";
    }
}
