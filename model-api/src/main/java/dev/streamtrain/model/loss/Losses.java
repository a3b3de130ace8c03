package dev.streamtrain.model.loss;

import dev.streamtrain.model.Registry;

import java.util.Set;

/** The losses on the class path, by name. */
public final class Losses {

    private static final Registry<Loss> REGISTRY = Registry.load(Loss.class, Loss::name, "loss");

    private Losses() {
    }

    public static Loss get(String name) {
        return REGISTRY.get(name);
    }

    public static Set<String> names() {
        return REGISTRY.names();
    }
}
