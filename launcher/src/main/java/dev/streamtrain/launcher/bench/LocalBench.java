package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.launcher.LocalPipeline;
import dev.streamtrain.launcher.LocalResult;
import dev.streamtrain.launcher.LocalRun;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The whole {@code local} pipeline ({@link LocalPipeline}: producer, trainer and evaluator on their
 * threads, concurrently, against the embedded broker), run first in the benchmark's process so its
 * peak resident memory is the process's: the evaluator's test loop per snapshot
 * ({@code streamtrain_evaluation_seconds}), snapshot-to-metric latency from the metrics records,
 * and the peak RSS ({@code VmHWM}, reset just before).
 */
final class LocalBench {

    record Result(Figure pipeline, Figure testLoop, Figure latencyP50, Figure latencyP95, Figure rss) {
    }

    private LocalBench() {
    }

    static Result run(KafkaSettings kafka, Path stateDir, BenchPlan plan, BenchData data, TopicNames topics,
                      String runId) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LocalRun run = new LocalRun(runId, plan.epochs(), plan.batchSize(), plan.testBatchSize(), plan.sampling(),
                plan.seed(), plan.recipe(), plan.snapshotEvery(), plan.threads(), topics, false, plan.engine());
        boolean reset = MemoryProbe.resetPeak();
        EpochClock clock = new EpochClock();
        long started = System.nanoTime();
        LocalResult result = new LocalPipeline(kafka, stateDir, new PrintStream(OutputStream.nullOutputStream()),
                registry).run(run, data.train(), data.test(), clock);
        long ended = System.nanoTime();
        OptionalLong peak = MemoryProbe.peakRss();

        long samples = result.training().samplesSeen();
        double wallSeconds = (ended - started) / 1e9;
        double marginalSeconds = (ended - clock.firstStepEndNanos()) / 1e9;
        TestMetrics last = result.metrics().get(result.metrics().size() - 1);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("epochs", plan.epochs());
        details.put("samples", clock.samplesAfterFirstStep());
        details.put("seconds", marginalSeconds);
        details.put("startupSeconds", wallSeconds - marginalSeconds);
        details.put("wallSeconds", wallSeconds);
        details.put("wallSamplesPerSecond", samples / wallSeconds);
        details.put("snapshots", result.metrics().size());
        details.put("finalTestAccuracy", last.accuracy());
        details.put("finalTestLoss", last.avgLoss());
        details.put("what", "LocalPipeline.run, producer, trainer and evaluator concurrently, start-up excluded as "
                + "for the trainer from the topic: from the end of the trainer's first step to the final snapshot's "
                + "metrics (every test loop included, the last one too), samples trained after the first step over "
                + "that time; wallSamplesPerSecond counts from the producer's start (broker already running)");
        Figure pipeline = Figure.measured("local pipeline (marginal, produce, train, evaluate)",
                clock.samplesAfterFirstStep() / marginalSeconds, Figure.SAMPLES_PER_SECOND, details);

        Timer evaluation = registry.find("streamtrain.evaluation").timer();
        Figure testLoop = evaluation == null || evaluation.count() == 0
                ? Figure.skipped("evaluator test loop per snapshot", "s", "no evaluation was timed")
                : Figure.measured("evaluator test loop per snapshot", evaluation.mean(TimeUnit.SECONDS), "s",
                Map.of("snapshots", evaluation.count(), "maxSeconds", evaluation.max(TimeUnit.SECONDS),
                        "testSamples", last.testSamples(), "source", "streamtrain_evaluation_seconds (mean) of local"));

        double[] latencies = result.metrics().stream()
                .mapToDouble(m -> (m.evaluatedAtMillis() - m.snapshotCreatedAtMillis()) / 1000.0).sorted().toArray();
        Map<String, Object> latencyDetails = new LinkedHashMap<>();
        latencyDetails.put("snapshots", latencies.length);
        latencyDetails.put("secondsSorted", StepTiming.rounded(latencies));
        latencyDetails.put("secondsByStep", result.metrics().stream().collect(Collectors.toMap(
                TestMetrics::step, m -> (m.evaluatedAtMillis() - m.snapshotCreatedAtMillis()) / 1000.0,
                (a, b) -> b, TreeMap::new)));
        latencyDetails.put("source", "metrics records: evaluatedAtMillis - snapshotCreatedAtMillis of local's "
                + "snapshots; nearest-rank percentile");
        Figure p50 = Figure.measured("snapshot -> metric latency p50", percentile(latencies, 50), "s", latencyDetails);
        Figure p95 = Figure.measured("snapshot -> metric latency p95", percentile(latencies, 95), "s", latencyDetails);

        Figure rss = peak.isEmpty()
                ? Figure.skipped("peak RSS, local (one process)", "MiB", "no /proc/self/status VmHWM on this OS")
                : Figure.measured("peak RSS, local (one process)", MemoryProbe.mebibytes(peak.getAsLong()), "MiB",
                Map.of("source", "/proc/self/status VmHWM of the benchmark's process, "
                        + (reset ? "reset (clear_refs) just before local; includes the embedded broker and the "
                        + "loaded dataset, as the local command's process does"
                        : "since the process started (clear_refs not writable)")));
        return new Result(pipeline, testLoop, p50, p95, rss);
    }

    /** Nearest-rank percentile of sorted {@code values}. */
    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
