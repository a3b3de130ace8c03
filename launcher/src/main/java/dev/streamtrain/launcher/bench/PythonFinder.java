package dev.streamtrain.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a Python interpreter where {@code import torch} works: the one given, else {@code python3}
 * on the PATH, else {@code /usr/bin/python3} (a distribution's torch, e.g. Debian's
 * {@code python3-torch}, is installed for the system interpreter, which a pyenv or venv
 * {@code python3} on the PATH hides).
 */
final class PythonFinder {

    static final List<String> DEFAULT_CANDIDATES = List.of("python3", "/usr/bin/python3");

    /** The interpreter found, or why none was: each candidate tried and what it answered. */
    record Found(Optional<String> python, List<String> tried) {

        String whyNone() {
            return "no Python interpreter with torch: " + String.join("; ", tried)
                    + " (install PyTorch, or give one with --python PATH)";
        }
    }

    private PythonFinder() {
    }

    static Found find(Optional<String> given) {
        List<String> candidates = given.map(List::of).orElse(DEFAULT_CANDIDATES);
        List<String> tried = new ArrayList<>();
        for (String python : candidates) {
            String answer = tryImport(python);
            if (answer == null) {
                return new Found(Optional.of(python), tried);
            }
            tried.add(python + ": " + answer);
        }
        return new Found(Optional.empty(), tried);
    }

    /** Null if {@code python -c 'import torch'} works, else what went wrong. */
    private static String tryImport(String python) {
        try {
            Process process = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "import torch took over 120 s";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() == 0) {
                return null;
            }
            List<String> lines = output.lines().toList();
            return lines.isEmpty() ? "exit " + process.exitValue() : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "cannot run it (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
