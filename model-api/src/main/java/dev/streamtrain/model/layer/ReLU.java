package dev.streamtrain.model.layer;

/** {@code nn.ReLU()}, applied elementwise. */
public record ReLU() implements Layer {

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public String describe() {
        return "ReLU()";
    }
}
