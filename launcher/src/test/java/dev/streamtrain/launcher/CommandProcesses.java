package dev.streamtrain.launcher;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code streamtrain} commands as OS processes, as users run them (so a test can SIGKILL, SIGSTOP
 * or SIGTERM them): each on this test JVM's classpath with 1 GB of heap, its stdout and stderr in
 * {@code NAME.out} and {@code NAME.err} of a test's directory. Those still alive after a test are
 * killed.
 */
final class CommandProcesses implements AfterEachCallback {

    private final Supplier<Path> directory;
    private final List<Process> started = new ArrayList<>();

    /** @param directory where the output files go, asked for at each start (a {@code @TempDir} field) */
    CommandProcesses(Supplier<Path> directory) {
        this.directory = directory;
    }

    /** Starts {@code streamtrain ARGS} as process {@code name}. */
    Process start(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), StreamtrainCommand.class.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout(name).toFile())
                .redirectError(stderr(name).toFile())
                .start();
        started.add(process);
        return process;
    }

    Process start(String name, String... args) throws IOException {
        return start(name, List.of(args));
    }

    Path stdout(String name) {
        return directory.get().resolve(name + ".out");
    }

    Path stderr(String name) {
        return directory.get().resolve(name + ".err");
    }

    String stdoutOf(String name) throws IOException {
        return Files.readString(stdout(name));
    }

    String stderrOf(String name) throws IOException {
        return Files.readString(stderr(name));
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}, {@code TERM}, ...) to {@code process}. */
    static void signal(Process process, String signal) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor())
                .as("kill -%s", signal).isZero();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
