package dev.streamtrain.model.layer;

/**
 * {@code nn.Dropout(p)}: in training mode zeroes each value with probability {@code p} and scales
 * the rest by 1/(1-p); in eval mode passes its input through.
 */
public record Dropout(double p) implements Layer {

    public Dropout {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout p must be in [0, 1), got " + p);
        }
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public String describe() {
        return "Dropout(p=" + p + ")";
    }
}
