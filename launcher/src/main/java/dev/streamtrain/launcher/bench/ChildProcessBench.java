package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.producer.ProducedStream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The trainer and the evaluator each alone in its own JVM, as deployed: the {@code train} and
 * {@code evaluate} commands as child processes (the same java, JVM options and class path) against
 * the benchmark's broker, the trainer on the stream {@link StreamBench} produced, the evaluator
 * evaluating that run's snapshots as they come. Their peak resident memory is sampled from
 * {@code /proc/<pid>/status} ({@code VmHWM}, a high-water mark) until they exit.
 */
final class ChildProcessBench {

    static final Duration SAMPLE_EVERY = Duration.ofMillis(100);

    record Result(Figure trainerRss, Figure evaluatorRss) {
    }

    private ChildProcessBench() {
    }

    static Result run(String bootstrapServers, BenchPlan plan, ProducedStream stream, TopicNames streamTopics,
                      Path specFile, Path workDir, Duration timeout) throws IOException, InterruptedException {
        String runId = stream.stream() + "-process";
        // The stream's minibatches and test set; topics of its own for what the processes write.
        TopicNames topics = new TopicNames(streamTopics.minibatches(), streamTopics.testSet(),
                "bench.process.snapshots", "bench.process.metrics", "bench.process.runs");
        List<String> common = new ArrayList<>(List.of("--bootstrap-servers", bootstrapServers,
                "--threads", Integer.toString(plan.threads()), "--metrics-port", "-1",
                "--minibatch-topic", topics.minibatches(), "--test-topic", topics.testSet(),
                "--snapshot-topic", topics.snapshots(), "--metrics-topic", topics.metrics(),
                "--runs-topic", topics.runs()));
        List<String> evaluate = new ArrayList<>(List.of("evaluate", "--exit-after", runId, "--application-id",
                "streamtrain-bench-evaluator", "--state-dir", workDir.resolve("evaluator").toString()));
        evaluate.addAll(common);
        List<String> train = new ArrayList<>(List.of("train", "--run-id", runId, "--stream", stream.stream(),
                "--from-offset", Long.toString(stream.firstOffset()), "--config", specFile.toString(), "--engine",
                plan.engine()));
        train.addAll(common);

        Child evaluator = Child.start("evaluator", evaluate, plan.threads(), workDir);
        Child trainer = Child.start("trainer", train, plan.threads(), workDir);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while ((trainer.alive() || evaluator.alive()) && System.nanoTime() < deadline && !trainer.failed()) {
                trainer.sample();
                evaluator.sample();
                Thread.sleep(SAMPLE_EVERY.toMillis());
            }
        } finally {
            trainer.stop("did not finish within " + timeout.toSeconds() + " s and was stopped");
            evaluator.stop(trainer.failed() ? "was stopped: the trainer process failed"
                    : "did not finish within " + timeout.toSeconds() + " s and was stopped");
        }
        return new Result(trainer.figure("peak RSS, trainer alone (own process)"),
                evaluator.figure("peak RSS, evaluator alone (own process)"));
    }

    /** One child JVM running a streamtrain command, its output in files, its peak RSS sampled. */
    private static final class Child {
        private final String name;
        private final Process process;
        private final Path err;
        private final long started = System.nanoTime();
        private long peak = -1;
        private String stopped;
        private int samples;
        private double seconds;

        private Child(String name, Process process, Path err) {
            this.name = name;
            this.process = process;
            this.err = err;
        }

        static Child start(String name, List<String> args, int threads, Path workDir) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(MachineProbe.jvmOptions());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "dev.streamtrain.launcher.StreamtrainCommand"));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(workDir.resolve(name + ".out").toFile())
                    .redirectError(workDir.resolve(name + ".err").toFile());
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            return new Child(name, builder.start(), workDir.resolve(name + ".err"));
        }

        boolean alive() {
            return process.isAlive();
        }

        void sample() {
            if (!process.isAlive()) {
                return;
            }
            OptionalLong hwm = MemoryProbe.peakRss(process.pid());
            if (hwm.isPresent()) {
                peak = Math.max(peak, hwm.getAsLong());
                samples++;
            }
            seconds = (System.nanoTime() - started) / 1e9;
        }

        boolean failed() {
            return !process.isAlive() && process.exitValue() != 0;
        }

        void stop(String why) throws InterruptedException {
            if (process.isAlive()) {
                stopped = why;
                process.destroy();
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }

        Figure figure(String title) {
            int exit = process.exitValue();
            if (stopped != null) {
                return Figure.skipped(title, "MiB", "the " + name + " process " + stopped);
            }
            if (exit != 0) {
                return Figure.skipped(title, "MiB", name + " process exited with " + exit + ": " + tail(err));
            }
            if (peak < 0) {
                return Figure.skipped(title, "MiB", "no /proc/<pid>/status VmHWM for the " + name + " process");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("source", "/proc/<pid>/status VmHWM of the child JVM, sampled every "
                    + SAMPLE_EVERY.toMillis() + " ms until it exited; the last sample is the peak up to it");
            details.put("samples", samples);
            details.put("wallSeconds", seconds);
            details.put("jvmOptions", MachineProbe.jvmOptions());
            return Figure.measured(title, MemoryProbe.mebibytes(peak), "MiB", details);
        }

        private static String tail(Path file) {
            try {
                List<String> lines = Files.readAllLines(file);
                return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }
    }
}
