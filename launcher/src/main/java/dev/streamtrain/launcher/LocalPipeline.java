package dev.streamtrain.launcher;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.evaluator.EvaluatorService;
import dev.streamtrain.evaluator.EvaluatorSettings;
import dev.streamtrain.evaluator.TestReportPrinter;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducedStream;
import dev.streamtrain.producer.ProducerMetrics;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingResult;
import dev.streamtrain.trainer.TrainerMetrics;
import dev.streamtrain.trainer.TrainingListener;
import dev.streamtrain.trainer.TutorialProgressPrinter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Producer, trainer and evaluator of one run, each on its own thread, against one Kafka cluster:
 * what {@code streamtrain local} runs. The trainer starts at the minibatch topic's end offset as it
 * was before this run produced anything, so it trains on this run's minibatches only.
 */
public final class LocalPipeline {

    private final KafkaSettings kafka;
    private final Path stateDir;
    private final PrintStream out;
    private final MeterRegistry registry;

    public LocalPipeline(KafkaSettings kafka, Path stateDir, PrintStream out) {
        this(kafka, stateDir, out, new CompositeMeterRegistry());
    }

    /** A pipeline whose producer, trainer and evaluator meters all go to {@code registry}. */
    public LocalPipeline(KafkaSettings kafka, Path stateDir, PrintStream out, MeterRegistry registry) {
        this.kafka = kafka;
        this.stateDir = stateDir;
        this.out = out;
        this.registry = registry;
    }

    public LocalResult run(LocalRun run, ImageDataset train, ImageDataset test) throws Exception {
        return run(run, train, test, TrainingListener.NONE);
    }

    /** The same, with {@code observer} told of the trainer's progress too (the benchmark's clock). */
    public LocalResult run(LocalRun run, ImageDataset train, ImageDataset test, TrainingListener observer)
            throws Exception {
        TopicProvisioner.ensureTopics(kafka.admin(), run.topics(), run.replication());
        long streamStart = endOffset(run.topics().minibatches());
        List<TestMetrics> metrics = new CopyOnWriteArrayList<>();
        CompletableFuture<TestMetrics> finalMetrics = new CompletableFuture<>();
        TestReportPrinter printer = new TestReportPrinter(out);
        EvaluatorSettings evaluatorSettings = new EvaluatorSettings(EvaluatorSettings.DEFAULT_APPLICATION_ID,
                stateDir.resolve("streams"), run.topics(), Duration.ofMinutes(2), run.mathThreads(), run.replication());
        TrainerSettings trainerSettings = new TrainerSettings(run.runId(), run.runId(), run.recipe(), run.seed(),
                run.snapshotEvery(), run.epochs(), OptionalLong.of(streamStart), run.topics(), run.mathThreads(),
                run.engine(), null, run.replication()).withPrequential(run.prequential());
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "local-" + r.hashCode()));
        try (EvaluatorService evaluator = new EvaluatorService(kafka, evaluatorSettings, m -> {
            if (!m.runId().equals(run.runId())) {
                return; // a snapshot left over from an earlier, interrupted run
            }
            metrics.add(m);
            printer.onEvaluated(m);
            if (m.finalSnapshot()) {
                finalMetrics.complete(m);
            }
        }, registry)) {
            evaluator.start();
            CompletableFuture<ProducedStream> produced = CompletableFuture.supplyAsync(
                    () -> produce(run, train, test), pool);
            CompletableFuture<TrainingResult> trained = CompletableFuture.supplyAsync(
                    () -> new Trainer(kafka, trainerSettings, TrainingListener.both(TrainingListener.both(
                            new TutorialProgressPrinter(out, run.printAccuracy()),
                            new TrainerMetrics(registry)), observer), registry).run(), pool);
            CompletableFuture<Object> failure = new CompletableFuture<>();
            for (CompletableFuture<?> part : List.of(produced, trained, evaluator.failure())) {
                part.whenComplete((v, e) -> {
                    if (e != null) {
                        failure.completeExceptionally(e);
                    }
                });
            }
            CompletableFuture.anyOf(CompletableFuture.allOf(produced, trained, finalMetrics), failure).get();
            return new LocalResult(produced.get(), trained.get(), List.copyOf(metrics));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
        }
    }

    private ProducedStream produce(LocalRun run, ImageDataset train, ImageDataset test) {
        try (MinibatchProducer producer = new MinibatchProducer(kafka, run.topics(), run.replication(),
                new ProducerMetrics(registry))
                .bindTo(registry)) {
            producer.produceTestSet(test, run.testBatchSize());
            return producer.produceTrainingStream(run.runId(), train, run.batchSize(), run.epochs(), run.sampling(),
                    run.testBatchSize());
        }
    }

    private long endOffset(String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(kafka.admin())) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        }
    }
}
