package dev.streamtrain.model;

import dev.streamtrain.model.loss.Loss;

/**
 * What computes networks: DL4J/ND4J today ({@code dl4j}). Engines are found with
 * {@link java.util.ServiceLoader} ({@link Engines}); the run spec records which one trained a run,
 * because floating-point results differ between engines.
 */
public interface Engine {

    /** The name in run specs, e.g. {@code dl4j}. */
    String name();

    /** The engine library's version, recorded in each run's environment. */
    String version();

    /** How many threads the engine's math may use in this process. */
    void setMathThreads(int threads);

    /**
     * A new network of {@code architecture} whose last layer emits what {@code loss} takes. Its
     * parameters are unspecified until {@link Network#setParameters} (e.g. with
     * {@link TorchInit#parameters}).
     */
    Network create(Architecture architecture, Loss loss);
}
