package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.run.Environment;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.model.Engines;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine a benchmark ran on, as the figures depend on it: cores, CPU model and memory (from
 * {@code /proc}), the JVM and its options, the OS, and the versions {@link EnvironmentProbe} records
 * in every run spec, plus every registered engine's.
 */
public final class MachineProbe {

    private MachineProbe() {
    }

    public static Map<String, Object> describe(int mathThreads) {
        Environment environment = EnvironmentProbe.current(mathThreads);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", cpuModel().orElse("unknown"));
        machine.put("memoryBytes", memoryBytes().orElse(null));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        machine.put("jvmOptions", jvmOptions());
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("streamtrainVersion", environment.streamtrainVersion());
        machine.put("dl4jVersion", environment.dl4jVersion());
        machine.put("kafkaVersion", environment.kafkaVersion());
        machine.put("javaVersion", environment.javaVersion());
        Map<String, String> engines = new LinkedHashMap<>();
        Engines.names().forEach(name -> engines.put(name, Engines.get(name).version()));
        machine.put("engines", engines);
        machine.put("mathThreads", mathThreads);
        machine.put("ompNumThreads", System.getenv("OMP_NUM_THREADS"));
        // null: OpenBLAS chose its kernels from the CPU; the peer inherits the same setting
        machine.put("openblasCoretype", environment.blasCoreType());
        return machine;
    }

    /** The JVM's own options (heap, GC), without agents (a debugger, coverage) that child JVMs must not get. */
    public static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib") && !a.startsWith("-agentpath"))
                .toList();
    }

    static Optional<String> cpuModel() {
        return procField(Path.of("/proc/cpuinfo"), "model name");
    }

    static Optional<Long> memoryBytes() {
        return procField(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.split("\\s+")[0]) * 1024);
    }

    private static Optional<String> procField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Optional.empty();
    }
}
