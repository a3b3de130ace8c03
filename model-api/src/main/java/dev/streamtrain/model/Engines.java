package dev.streamtrain.model;

import java.util.Set;

/** The engines on the class path, by name. */
public final class Engines {

    /** The engine of runs whose spec names none: every run before engines were recorded. */
    public static final String DEFAULT = "dl4j";

    private static final Registry<Engine> REGISTRY = Registry.load(Engine.class, Engine::name, "engine");

    private Engines() {
    }

    public static Engine get(String name) {
        return REGISTRY.get(name);
    }

    public static Set<String> names() {
        return REGISTRY.names();
    }
}
