package dev.streamtrain.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Resident memory of a process from Linux's {@code /proc/<pid>/status}: {@code VmHWM}, the peak
 * resident set size, and {@code VmRSS}. Elsewhere the figures are empty.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    /** Peak resident set size of process {@code pid} so far, in bytes. */
    public static OptionalLong peakRss(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmHWM:");
    }

    /** Peak resident set size of this process so far, in bytes. */
    public static OptionalLong peakRss() {
        return peakRss(ProcessHandle.current().pid());
    }

    /**
     * Resets this process's peak to its current resident set size (writing 5 to
     * {@code /proc/self/clear_refs}, Linux 4.0+), so a later {@link #peakRss()} tells the peak of what
     * ran in between; false where that is not possible.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    static OptionalLong field(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024); // always in kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return OptionalLong.empty();
    }

    /** Bytes in MiB. */
    public static double mebibytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
