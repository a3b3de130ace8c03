package dev.streamtrain.model;

import dev.streamtrain.model.loss.Loss;

/**
 * What computes networks: DL4J/ND4J ({@code dl4j}, the reference) or OpenBLAS ({@code blas}).
 * Engines are found with {@link java.util.ServiceLoader} ({@link Engines}); the run spec records
 * which one trained a run, because floating-point results differ between engines.
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

    /** Whether {@link #create} takes {@code architecture}: this engine computes every one of its layers. */
    default boolean computes(Architecture architecture) {
        return true;
    }

    /**
     * Where {@link Engines#AUTO} looks first: among the engines that compute a network, the one of
     * highest rank computes it (0 for the reference engine, dl4j, which computes every layer).
     */
    default int autoRank() {
        return 0;
    }
}
