package dev.streamtrain.contracts.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * Where a run was trained. Floating-point results depend on all of it (library versions, JVM, CPU
 * architecture and the number of math threads), so every snapshot carries it, as Tribuo's
 * provenance does.
 *
 * @param blasCoreType the OpenBLAS kernels the process was told to use ({@code OPENBLAS_CORETYPE},
 *                     e.g. {@code SkylakeX}), or null where OpenBLAS chose them from the CPU: kernels
 *                     sum in different orders, so they change the bits of every gemm
 * @param ompNumThreads the OpenMP threads the process was told to use ({@code OMP_NUM_THREADS}), or
 *                     null where it was unset (OpenMP then uses every core) and in runs recorded
 *                     before it was: the {@code blas} engine's convolutions (oneDNN) split their
 *                     weight gradients' sums between that many threads, so it changes their bits
 */
public record Environment(String streamtrainVersion, String dl4jVersion, String kafkaVersion, String javaVersion,
                          String os, String arch, int mathThreads,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String blasCoreType,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String ompNumThreads) {

    /** An environment whose OpenBLAS picked its kernels itself ({@code blasCoreType} null), as every run before 0.5 did. */
    public Environment(String streamtrainVersion, String dl4jVersion, String kafkaVersion, String javaVersion,
                       String os, String arch, int mathThreads) {
        this(streamtrainVersion, dl4jVersion, kafkaVersion, javaVersion, os, arch, mathThreads, null);
    }

    /** An environment whose OpenMP thread count was not recorded ({@code ompNumThreads} null), as in runs recorded before the field. */
    public Environment(String streamtrainVersion, String dl4jVersion, String kafkaVersion, String javaVersion,
                       String os, String arch, int mathThreads, String blasCoreType) {
        this(streamtrainVersion, dl4jVersion, kafkaVersion, javaVersion, os, arch, mathThreads, blasCoreType, null);
    }

    public Environment {
        Objects.requireNonNull(streamtrainVersion, "environment.streamtrainVersion");
        Objects.requireNonNull(dl4jVersion, "environment.dl4jVersion");
        Objects.requireNonNull(kafkaVersion, "environment.kafkaVersion");
        Objects.requireNonNull(javaVersion, "environment.javaVersion");
        Objects.requireNonNull(os, "environment.os");
        Objects.requireNonNull(arch, "environment.arch");
        if (mathThreads < 1) {
            throw new IllegalArgumentException("environment.mathThreads must be >= 1, got " + mathThreads);
        }
    }
}
