package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.model.Engines;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluator's meters: names, tags and values of the latest evaluated snapshot, per run. */
class EvaluatorMetricsTest {

    private static final Tags S1 = Tags.of("run", "s1", "dataset", "fashion-mnist", "model", "tutorial-mlp");
    private static final Tags R2 = Tags.of("run", "r2", "dataset", "fashion-mnist", "model", "tutorial-mlp");

    @BeforeAll
    static void oneThread() {
        Engines.get(Engines.DEFAULT).setMathThreads(1);
    }

    @Test
    void testAndValidationSetsGetGaugesPerRunAndPerClass() {
        SnapshotEvaluator evaluator = new SnapshotEvaluator(MemoryEvaluationSets.of(Fixtures.testSet(200, 64))
                .validation("s1", Fixtures.validationSet("s1", Fixtures.loader(100), 40)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EvaluatorMetrics metrics = new EvaluatorMetrics(registry);

        TestMetrics first = evaluator.evaluate(Fixtures.snapshot("s1", Fixtures.trained(2), 1, 2, false,
                Fixtures.loader(100), List.of()));
        metrics.onEvaluated(first);
        int meters = registry.getMeters().size();
        TestMetrics m = evaluator.evaluate(Fixtures.snapshot("s1", Fixtures.trained(8), 1, 8, false,
                Fixtures.loader(100), List.of()));
        metrics.onEvaluated(m);

        assertThat(registry.getMeters()).as("the second snapshot updates the first one's meters").hasSize(meters);
        assertThat(gauge(registry, "streamtrain.test.accuracy", S1)).isEqualTo(m.accuracy());
        assertThat(gauge(registry, "streamtrain.test.loss", S1)).isEqualTo(m.avgLoss());
        assertThat(gauge(registry, "streamtrain.val.accuracy", S1)).isEqualTo(m.validation().accuracy())
                .isNotEqualTo(first.validation().accuracy());
        assertThat(gauge(registry, "streamtrain.val.loss", S1)).isEqualTo(m.validation().avgLoss());
        double[] testClasses = m.test().classAccuracy();
        double[] valClasses = m.validation().classAccuracy();
        long[][] confusion = m.test().confusion();
        for (int c = 0; c < 10; c++) {
            Tags tagged = S1.and("class", Integer.toString(c));
            assertThat(gauge(registry, "streamtrain.test.class.accuracy", tagged)).isEqualTo(testClasses[c]);
            assertThat(gauge(registry, "streamtrain.val.class.accuracy", tagged)).isEqualTo(valClasses[c]);
            for (int p = 0; p < 10; p++) {
                assertThat(gauge(registry, "streamtrain.test.confusion.samples",
                        S1.and("actual", Integer.toString(c), "predicted", Integer.toString(p))))
                        .isEqualTo(confusion[c][p]);
            }
        }
        assertThat(registry.find("streamtrain.val.class.accuracy").gauges()).hasSize(10);
        assertThat(registry.find("streamtrain.test.confusion.samples").gauges()).hasSize(100);
        assertThat(registry.get("streamtrain.snapshot.to.metric").tags(S1).timer().count()).isEqualTo(2);
        // as Prometheus names them
        assertThat(registry.getMeters())
                .extracting(meter -> meter.getId().getConventionName(NamingConvention.snakeCase))
                .contains("streamtrain_val_accuracy", "streamtrain_val_loss", "streamtrain_val_class_accuracy",
                        "streamtrain_test_accuracy", "streamtrain_test_loss", "streamtrain_test_class_accuracy",
                        "streamtrain_test_confusion_samples");
    }

    @Test
    void aRunWithoutAValidationSplitHasNoValidationGauges() {
        SnapshotEvaluator evaluator = new SnapshotEvaluator(MemoryEvaluationSets.of(Fixtures.testSet(100, 50)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TestMetrics m = evaluator.evaluate(Fixtures.snapshot("r2", Fixtures.trained(3), 1, 3, false));
        new EvaluatorMetrics(registry).onEvaluated(m);

        assertThat(gauge(registry, "streamtrain.test.accuracy", R2)).isEqualTo(m.accuracy());
        assertThat(registry.find("streamtrain.test.class.accuracy").tags(R2).gauges()).hasSize(10);
        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName)
                .noneMatch(name -> name.startsWith("streamtrain.val."));
    }

    private static double gauge(SimpleMeterRegistry registry, String name, Tags tags) {
        return registry.get(name).tags(tags).gauge().value();
    }
}
