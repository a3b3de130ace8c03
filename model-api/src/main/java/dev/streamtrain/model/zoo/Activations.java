package dev.streamtrain.model.zoo;

import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.ReLU;
import dev.streamtrain.model.layer.Sigmoid;
import dev.streamtrain.model.layer.Tanh;

/** The activation a model option names: relu, tanh or sigmoid. */
final class Activations {

    private Activations() {
    }

    static Layer layer(String name) {
        if (name == null) {
            throw new IllegalArgumentException("activation must be relu, tanh or sigmoid, got none");
        }
        return switch (name) {
            case "relu" -> new ReLU();
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            default -> throw new IllegalArgumentException("activation must be relu, tanh or sigmoid, got '" + name
                    + "'");
        };
    }
}
