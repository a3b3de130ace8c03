package dev.streamtrain.contracts.run;

import java.util.Objects;

/**
 * Where a run was trained. Floating-point results depend on all of it (library versions, JVM, CPU
 * architecture and the number of math threads), so every snapshot carries it, as Tribuo's
 * provenance does.
 */
public record Environment(String streamtrainVersion, String dl4jVersion, String kafkaVersion, String javaVersion,
                          String os, String arch, int mathThreads) {

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
