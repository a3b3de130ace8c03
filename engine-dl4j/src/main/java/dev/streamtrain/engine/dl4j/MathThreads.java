package dev.streamtrain.engine.dl4j;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets how many threads ND4J's native ops and BLAS use. On small machines DL4J's default (OpenMP
 * on every core, for every op) is ~3x slower for the tutorial MLP than one thread per process, so
 * streamtrain sets it explicitly rather than leave it to the environment.
 */
final class MathThreads {

    private static final Logger log = LoggerFactory.getLogger(MathThreads.class);

    private MathThreads() {
    }

    static void apply(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("math threads must be >= 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        log.debug("ND4J math threads set to {}", threads);
    }
}
