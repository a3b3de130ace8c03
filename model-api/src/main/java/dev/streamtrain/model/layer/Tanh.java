package dev.streamtrain.model.layer;

/** {@code nn.Tanh()}, applied elementwise. */
public record Tanh() implements Layer {

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public String describe() {
        return "Tanh()";
    }
}
