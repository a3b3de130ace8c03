package dev.streamtrain.engine.blas;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engine;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.loss.Loss;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.Properties;

/**
 * The {@code blas} engine: MLPs and convnets (Flatten, Linear, Conv2d, MaxPool2d, ReLU, Tanh,
 * Sigmoid, Dropout) computed in float32 with OpenBLAS's sgemm and oneDNN's convolutions on buffers
 * allocated once, the step's time spent in the native kernels rather than around them. Other layers (BatchNorm) are refused with a pointer to {@code dl4j}. Registered in
 * {@code META-INF/services/dev.streamtrain.model.Engine}.
 */
public final class BlasEngine implements Engine {

    public static final String NAME = "blas";

    private static final String VERSION = readVersion();

    @Override
    public String name() {
        return NAME;
    }

    /** Its native libraries' versions, as bytedeco packages them: {@code OpenBLAS 0.3.19-1.5.7, oneDNN 2.5.2-1.5.7}. */
    @Override
    public String version() {
        return VERSION;
    }

    /**
     * OpenBLAS's threads. oneDNN's convolutions use OpenMP's, which follow {@code OMP_NUM_THREADS}
     * as the process started with it (the launcher sets 1): OpenMP has no process-wide setter.
     */
    @Override
    public void setMathThreads(int threads) {
        Blas.setThreads(threads);
    }

    /** Fails, naming the layer, for an architecture with a layer this engine does not compute. */
    @Override
    public Network create(Architecture architecture, Loss loss) {
        return new BlasNetwork(architecture, loss);
    }

    /** Whether every layer is one this engine computes (it plans the network on a scratch buffer). */
    @Override
    public boolean computes(Architecture architecture) {
        FloatBuffer scratch = Blas.allocate(architecture.parameterCount());
        try {
            Plan.of(architecture, scratch, scratch);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Ahead of dl4j for {@code auto}: its step is two to three times as fast where it computes the network. */
    @Override
    public int autoRank() {
        return 10;
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = BlasEngine.class.getResourceAsStream("engine.properties")) {
            if (in == null) {
                throw new IllegalStateException("engine.properties missing from the blas engine's jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "OpenBLAS " + properties.getProperty("openblas.version") + ", oneDNN "
                + properties.getProperty("dnnl.version");
    }
}
