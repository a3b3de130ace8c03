package dev.streamtrain.contracts.run;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Reads the environment a run trains in, for its provenance. */
public final class EnvironmentProbe {

    private static final Properties VERSIONS = load();

    private EnvironmentProbe() {
    }

    public static Environment current(int mathThreads) {
        return new Environment(
                VERSIONS.getProperty("streamtrain.version"),
                VERSIONS.getProperty("dl4j.version"),
                VERSIONS.getProperty("kafka.version"),
                System.getProperty("java.version"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                mathThreads,
                blasCoreType(),
                ompNumThreads());
    }

    /**
     * {@code OPENBLAS_CORETYPE} exactly as OpenBLAS reads it when it loads; null when unset (OpenBLAS
     * then detects the CPU). Set but empty is not the same: OpenBLAS 0.3.19 then picks other kernels.
     */
    public static String blasCoreType() {
        return System.getenv("OPENBLAS_CORETYPE");
    }

    /** {@code OMP_NUM_THREADS} exactly as OpenMP reads it when it loads; null when unset (every core). */
    public static String ompNumThreads() {
        return System.getenv("OMP_NUM_THREADS");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = EnvironmentProbe.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties missing from the model jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
