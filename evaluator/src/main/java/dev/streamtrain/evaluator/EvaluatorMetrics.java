package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.TestMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The evaluator's meters per run (tags run, dataset, model): {@code streamtrain_test_accuracy}
 * (fraction, of the latest evaluated snapshot), {@code streamtrain_test_loss} and
 * {@code streamtrain_snapshot_to_metric_seconds} (snapshot taken to metric ready). The evaluation
 * time itself, {@code streamtrain_evaluation_seconds}, is recorded by {@link SnapshotEvaluator}.
 */
public final class EvaluatorMetrics implements EvaluationListener {

    private final MeterRegistry registry;
    private final Map<String, RunGauges> runs = new ConcurrentHashMap<>();

    public EvaluatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onEvaluated(TestMetrics m) {
        RunGauges gauges = runs.computeIfAbsent(m.runId(), run -> new RunGauges(registry, tags(m)));
        gauges.accuracy.set(m.accuracy());
        gauges.loss.set(m.avgLoss());
        gauges.latency.record(Duration.ofMillis(Math.max(0, m.evaluatedAtMillis() - m.snapshotCreatedAtMillis())));
    }

    static Tags tags(TestMetrics m) {
        return Tags.of("run", m.runId(), "dataset", m.dataset(), "model", m.model());
    }

    private static final class RunGauges {
        final AtomicReference<Double> accuracy = new AtomicReference<>(Double.NaN);
        final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
        final Timer latency;

        RunGauges(MeterRegistry registry, Tags tags) {
            Gauge.builder("streamtrain.test.accuracy", accuracy, AtomicReference::get)
                    .description("Test accuracy (fraction) of the latest evaluated snapshot").tags(tags)
                    .strongReference(true).register(registry);
            Gauge.builder("streamtrain.test.loss", loss, AtomicReference::get)
                    .description("Average test loss of the latest evaluated snapshot").tags(tags)
                    .strongReference(true).register(registry);
            latency = Timer.builder("streamtrain.snapshot.to.metric")
                    .description("From a snapshot being taken to its metrics being ready").tags(tags)
                    .register(registry);
        }
    }
}
