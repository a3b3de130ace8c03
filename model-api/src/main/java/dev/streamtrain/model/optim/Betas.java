package dev.streamtrain.model.optim;

import com.fasterxml.jackson.annotation.JsonFormat;

/** Adam's {@code betas=(beta1, beta2)}: in JSON and YAML a two-element array, {@code [0.9, 0.999]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record Betas(double beta1, double beta2) {

    public static final Betas DEFAULT = new Betas(0.9, 0.999);

    public Betas {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must both be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
    }

    @Override
    public String toString() {
        return "(" + Hyperparameters.format(beta1) + ", " + Hyperparameters.format(beta2) + ")";
    }
}
