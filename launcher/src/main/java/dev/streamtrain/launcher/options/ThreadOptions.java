package dev.streamtrain.launcher.options;

import picocli.CommandLine.Option;

/** How many threads ND4J's math may use. */
public final class ThreadOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J/BLAS threads per service (default: OMP_NUM_THREADS, else 1: on small machines one "
                    + "thread per service is ~3x faster than DL4J's default).")
    Integer threads;

    public int threads() {
        return threads != null ? threads : defaultCount();
    }

    /** OMP_NUM_THREADS if set (the streamtrain script sets it to 1), else 1. */
    static int defaultCount() {
        String env = System.getenv("OMP_NUM_THREADS");
        if (env != null && env.trim().matches("\\d+")) {
            return Math.max(1, Integer.parseInt(env.trim()));
        }
        return 1;
    }
}
