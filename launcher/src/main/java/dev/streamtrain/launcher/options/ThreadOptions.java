package dev.streamtrain.launcher.options;

import dev.streamtrain.model.MathThreads;
import picocli.CommandLine.Option;

/** How many threads ND4J's math may use. */
public final class ThreadOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J/BLAS threads per service (default: OMP_NUM_THREADS, else 1: on small machines one "
                    + "thread per service is ~3x faster than DL4J's default).")
    Integer threads;

    public int threads() {
        return threads != null ? threads : MathThreads.defaultCount();
    }
}
