package dev.streamtrain.model.zoo;

import java.util.List;

/**
 * The options of {@code mlp}.
 *
 * @param hidden     sizes of the hidden layers, in order (default [512, 512], the tutorial's)
 * @param activation relu (default), tanh or sigmoid
 * @param dropout    dropout probability after each hidden activation (default 0: none)
 * @param batchNorm  BatchNorm1d between each hidden Linear and its activation (default false)
 */
public record MlpOptions(List<Integer> hidden, String activation, double dropout, boolean batchNorm) {

    public static final MlpOptions DEFAULTS = new MlpOptions(List.of(512, 512), "relu", 0, false);

    public MlpOptions {
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden sizes must be >= 1, got " + hidden);
            }
        }
        Activations.layer(activation);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }
}
