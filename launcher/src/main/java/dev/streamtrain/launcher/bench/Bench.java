package dev.streamtrain.launcher.bench;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.TensorBatch;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every measurement of {@code streamtrain bench} in one process, one after the other, so
 * none competes with another for the cores: {@code local} first (its peak RSS is then the
 * process's), the producer and the trainer from the topic, the trainer and evaluator as processes
 * of their own, {@code serve} on the trained run, the in-memory steps of every engine and of DL4J's fit, and last the PyTorch peer.
 * A measurement that fails is reported as skipped, with its error, and the others still run.
 */
public final class Bench {

    /**
     * @param specYaml  the recipe as a spec file, for the {@code train} child process
     * @param python          the interpreter for the PyTorch peer; empty: search for one
     * @param peerLibraryPath put first on the peer's {@code LD_LIBRARY_PATH} (an optimized BLAS)
     * @param peer            false to skip the PyTorch peer
     */
    public record Inputs(BenchPlan plan, BenchData data, String specYaml, Optional<String> python,
                         Optional<String> peerLibraryPath, boolean peer, Path workDir) {
    }

    private final PrintStream out;

    public Bench(PrintStream out) {
        this.out = out;
    }

    public BenchReport run(Inputs in) throws Exception {
        long started = System.nanoTime();
        BenchPlan plan = in.plan();
        Map<String, Object> method = plan.describe();
        method.put("data", in.data().describe());
        BenchReport report = new BenchReport(MachineProbe.describe(plan.threads()), method);
        Duration processTimeout = Duration.ofMinutes(plan.quick() ? 5 : 20);

        progress("starting the embedded Kafka broker");
        StreamBench.Result stream = null;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(in.workDir().resolve("kafka")).port(0).build()) {
            broker.start();
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());

            progress("local pipeline: %d epochs of %d samples, producer, trainer and evaluator together",
                    plan.epochs(), in.data().train().size());
            try {
                LocalBench.Result local = LocalBench.run(kafka, in.workDir(), plan, in.data(),
                        TopicNames.DEFAULT.withPrefix("bench.local."), "bench-local");
                report.put("local", "pipeline", local.pipeline());
                report.put("evaluator", "test-loop", local.testLoop());
                report.put("latency", "p50", local.latencyP50());
                report.put("latency", "p95", local.latencyP95());
                report.put("memory", "local", local.rss());
            } catch (Exception e) {
                failed(report, e, "local", "pipeline", "evaluator", "test-loop", "latency", "p50", "latency", "p95",
                        "memory", "local");
            }

            progress("producer, then the trainer alone from the filled topic: %d epochs", plan.epochs());
            try {
                stream = StreamBench.run(kafka, plan, in.data(), TopicNames.DEFAULT.withPrefix("bench.stream."),
                        "bench-stream");
                report.put("producer", "bytes", stream.producerBytes());
                report.put("producer", "batches", stream.producerBatches());
                report.put("stream", "train", stream.train());
            } catch (Exception e) {
                failed(report, e, "producer", "bytes", "producer", "batches", "stream", "train");
            }

            if (stream != null) {
                progress("trainer and evaluator as processes of their own, on the same stream");
                try {
                    Path spec = Files.writeString(in.workDir().resolve("bench-spec.yaml"), in.specYaml());
                    ChildProcessBench.Result processes = ChildProcessBench.run(broker.bootstrapServers(), plan,
                            stream.stream(), stream.topics(), spec, in.workDir(), processTimeout);
                    report.put("memory", "trainer", processes.trainerRss());
                    report.put("memory", "evaluator", processes.evaluatorRss());
                } catch (Exception e) {
                    failed(report, e, "memory", "trainer", "memory", "evaluator");
                }
            } else {
                String why = "needs the producer's stream, which failed";
                report.put("memory", "trainer", Figure.skipped("peak RSS, trainer alone (own process)", "MiB", why));
                report.put("memory", "evaluator", Figure.skipped("peak RSS, evaluator alone (own process)", "MiB",
                        why));
            }

            if (stream != null) {
                progress("serve on the trained run: single-sample HTTP latency, then the Kafka path's throughput");
                try {
                    ServingBench.Result serving = ServingBench.run(kafka, in.workDir(), plan, in.data(),
                            stream.topics(), stream.stream().stream());
                    report.put("serving", "http-p50", serving.httpP50());
                    report.put("serving", "http-p99", serving.httpP99());
                    report.put("serving", "kafka", serving.kafka());
                } catch (Exception e) {
                    failed(report, e, "serving", "http-p50", "serving", "http-p99", "serving", "kafka");
                }
            } else {
                String why = "needs the run the trainer trained from the producer's stream, which failed";
                report.put("serving", "http-p50", Figure.skipped("serve: HTTP latency, one sample, p50", "ms", why));
                report.put("serving", "http-p99", Figure.skipped("serve: HTTP latency, one sample, p99", "ms", why));
                report.put("serving", "kafka", Figure.skipped("serve: Kafka path, one sample per request",
                        "predictions/s", why));
            }
        }

        List<TensorBatch> batches = PrebuiltBatches.first(in.data().train(), plan.batchSize(), plan.stepsPerRound(),
                plan.recipe().transforms());
        for (String engine : Engines.names()) {
            progress("the step alone, engine %s: %d warm-up steps, %d rounds of %d", engine, plan.warmupSteps(),
                    plan.rounds(), plan.stepsPerRound());
            try {
                report.put("step", "engine." + engine, EngineStepBench.run(engine, plan, in.data().train().name(),
                        batches));
            } catch (Exception e) {
                report.put("step", "engine." + engine, Figure.skipped("step, engine " + engine + " (in memory)",
                        Figure.SAMPLES_PER_SECOND, "failed: " + e));
            }
        }
        progress("DL4J's own MultiLayerNetwork.fit on the same batches");
        try {
            report.put("step", "dl4j-fit", Dl4jFitBench.run(plan, batches));
        } catch (Exception e) {
            failed(report, e, "step", "dl4j-fit");
        }
        report.put("stream", "overhead", overhead(report.figure("stream", "train"),
                report.figure("step", "engine." + plan.engine())));

        if (in.peer()) {
            progress("the PyTorch peer: the step on prebuilt tensors, then the tutorial loop (%d epoch%s)",
                    plan.peerEpochs(), plan.peerEpochs() == 1 ? "" : "s");
            PeerBench.Result peer;
            try {
                Path idx = in.data().writeIdx(in.workDir().resolve("peer-data"));
                peer = PeerBench.run(in.python(), in.peerLibraryPath(), plan, idx, in.workDir(), processTimeout);
            } catch (Exception e) {
                peer = PeerBench.Result.skipped("failed: " + e, Map.of());
            }
            report.put("peer", "step", peer.step());
            report.put("peer", "tutorial", peer.tutorial());
            report.peer(peer.about());
        } else {
            report.put("peer", "step", Figure.skipped(PeerBench.STEP, Figure.SAMPLES_PER_SECOND, "--no-peer"));
            report.put("peer", "tutorial", Figure.skipped(PeerBench.TUTORIAL, Figure.SAMPLES_PER_SECOND,
                    "--no-peer"));
        }
        report.skipMissing("not measured");
        report.wallSeconds((System.nanoTime() - started) / 1e9);
        return report;
    }

    /** How much longer a sample takes from the topic than in the in-memory step of the same engine. */
    static Figure overhead(Figure stream, Figure step) {
        String name = "stream overhead over the in-memory step";
        if (stream == null || step == null || !stream.isMeasured() || !step.isMeasured()) {
            return Figure.skipped(name, "%", "needs both the trainer from the topic and the in-memory step");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("what", "time per sample from the topic (ToTensor, Kafka, snapshots included) over time per "
                + "sample of the run engine's in-memory step, minus 1");
        details.put("inMemoryMsPerStep", step.details().get("msPerStep"));
        details.put("trainerStepMsPerBatch", stream.details().get("stepMsPerBatch"));
        details.put("trainerMsPerBatch", stream.details().get("msPerBatch"));
        details.put("split", "trainerStepMsPerBatch is what the trainer times as its step (ToTensor of the decoded "
                + "batch, forward, backward, update); trainerMsPerBatch adds fetching, decoding and snapshots");
        return Figure.measured(name, (step.value() / stream.value() - 1) * 100, "%", details);
    }

    private void failed(BenchReport report, Exception e, String... sectionKeyPairs) {
        out.println("bench: failed: " + e);
        for (int i = 0; i < sectionKeyPairs.length; i += 2) {
            report.put(sectionKeyPairs[i], sectionKeyPairs[i + 1], Figure.skipped(sectionKeyPairs[i] + " "
                    + sectionKeyPairs[i + 1], "-", "failed: " + e));
        }
    }

    private void progress(String format, Object... args) {
        out.printf(Locale.ROOT, "bench: " + format + "%n", args);
        out.flush();
    }
}
