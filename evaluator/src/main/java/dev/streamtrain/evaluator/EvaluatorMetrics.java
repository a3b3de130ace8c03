package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.EvaluationResult;
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
 * The evaluator's meters per run (tags run, dataset, model), of the latest evaluated snapshot:
 * {@code streamtrain_test_accuracy} (fraction) and {@code streamtrain_test_loss}, and with a
 * validation split {@code streamtrain_val_accuracy} and {@code streamtrain_val_loss}; per class
 * (tag {@code class}, the class index) {@code streamtrain_test_class_accuracy} and
 * {@code streamtrain_val_class_accuracy}; the confusion matrix as
 * {@code streamtrain_test_confusion_samples} (tags {@code actual}, {@code predicted}); and
 * {@code streamtrain_snapshot_to_metric_seconds} (snapshot taken to metric ready). The evaluation
 * time itself, {@code streamtrain_evaluation_seconds}, is recorded by {@link SnapshotEvaluator}.
 */
public final class EvaluatorMetrics implements EvaluationListener {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    public EvaluatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onEvaluated(TestMetrics m) {
        Tags tags = tags(m);
        set("streamtrain.test.accuracy", "Test accuracy (fraction) of the latest evaluated snapshot", tags,
                m.accuracy());
        set("streamtrain.test.loss", "Average test loss of the latest evaluated snapshot", tags, m.avgLoss());
        if (m.test() != null) {
            perClass("test", "Test", m.test(), tags);
        }
        if (m.hasValidation()) {
            set("streamtrain.val.accuracy", "Validation accuracy (fraction) of the latest evaluated snapshot", tags,
                    m.validation().accuracy());
            set("streamtrain.val.loss", "Average validation loss of the latest evaluated snapshot", tags,
                    m.validation().avgLoss());
            perClass("val", "Validation", m.validation(), tags);
        }
        latencies.computeIfAbsent(m.runId(), run -> Timer.builder("streamtrain.snapshot.to.metric")
                        .description("From a snapshot being taken to its metrics being ready").tags(tags)
                        .register(registry))
                .record(Duration.ofMillis(Math.max(0, m.evaluatedAtMillis() - m.snapshotCreatedAtMillis())));
    }

    private void perClass(String prefix, String what, EvaluationResult result, Tags tags) {
        double[] classAccuracy = result.classAccuracy();
        long[][] confusion = result.confusion();
        for (int c = 0; c < classAccuracy.length; c++) {
            set("streamtrain." + prefix + ".class.accuracy", what + " accuracy (fraction) of the samples of one class, "
                    + "of the latest evaluated snapshot", tags.and("class", Integer.toString(c)), classAccuracy[c]);
        }
        if (prefix.equals("test")) {
            for (int actual = 0; actual < confusion.length; actual++) {
                for (int predicted = 0; predicted < confusion.length; predicted++) {
                    set("streamtrain.test.confusion.samples", "Test samples of class 'actual' classified as "
                                    + "'predicted', of the latest evaluated snapshot",
                            tags.and("actual", Integer.toString(actual), "predicted", Integer.toString(predicted)),
                            confusion[actual][predicted]);
                }
            }
        }
    }

    private void set(String name, String description, Tags tags, double value) {
        gauges.computeIfAbsent(name + tags, key -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, holder, AtomicReference::get).description(description).tags(tags)
                    .strongReference(true).register(registry);
            return holder;
        }).set(value);
    }

    static Tags tags(TestMetrics m) {
        return Tags.of("run", m.runId(), "dataset", m.dataset(), "model", m.model());
    }
}
