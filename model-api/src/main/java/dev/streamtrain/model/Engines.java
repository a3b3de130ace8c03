package dev.streamtrain.model;

import java.util.Comparator;
import java.util.Set;

/** The engines on the class path, by name. */
public final class Engines {

    /** The engine of runs whose spec names none: every run before engines were recorded. */
    public static final String DEFAULT = "dl4j";

    private static final Registry<Engine> REGISTRY = Registry.load(Engine.class, Engine::name, "engine");

    private Engines() {
    }

    /**
     * The engine name of new runs unless one is asked for: the fastest engine that computes the
     * run's network ({@link Engine#autoRank()}), decided when the network is known; the run spec
     * records the engine it resolved to, never {@code auto}.
     */
    public static final String AUTO = "auto";

    public static Engine get(String name) {
        return REGISTRY.get(name);
    }

    /** Fails, naming the known engines, unless {@code name} is one of them or {@link #AUTO}. */
    public static void requireKnown(String name) {
        if (!AUTO.equals(name)) {
            get(name);
        }
    }

    /** {@code name}, or for {@link #AUTO} the engine of highest rank that computes {@code architecture}. */
    public static String resolve(String name, Architecture architecture) {
        if (!AUTO.equals(name)) {
            return name;
        }
        return names().stream().map(Engines::get).filter(engine -> engine.computes(architecture))
                .max(Comparator.comparingInt(Engine::autoRank).thenComparing(Engine::name, Comparator.reverseOrder()))
                .map(Engine::name)
                .orElseThrow(() -> new IllegalArgumentException("no engine computes " + architecture.describe()));
    }

    /** How many threads the math of engine {@code name} may use; of every engine for {@link #AUTO}. */
    public static void setMathThreads(String name, int threads) {
        if (AUTO.equals(name)) {
            names().forEach(engine -> get(engine).setMathThreads(threads));
        } else {
            get(name).setMathThreads(threads);
        }
    }

    public static Set<String> names() {
        return REGISTRY.names();
    }
}
