package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The trainer's meters, names and tags as Prometheus shows them. */
class TrainerMetricsTest {

    private static final RunSpec SPEC = new RunSpec("r1", "s1", "fashion-mnist", TutorialMlp.NAME,
            RunSpec.CROSS_ENTROPY, Sgd.of(0.05), 32, 2, 42, TopicNames.DEFAULT, EnvironmentProbe.current(1));
    private static final Tags TAGS = Tags.of("run", "r1", "dataset", "fashion-mnist", "model", "tutorial-mlp");

    @Test
    void trainAccuracyIsTheLastBatchsAndTheEpochsAtEachEpochEnd() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics metrics = new TrainerMetrics(registry);
        metrics.onRunStart(SPEC);
        metrics.onEpochStart(1);

        assertThat(gauge(registry, "streamtrain.train.accuracy")).as("nothing trained yet").isNaN();
        metrics.onBatch(1, 0, 2.30, 0.125, 32, 64, 1_000);
        metrics.onBatch(1, 1, 2.10, 0.84375, 64, 64, 1_000);
        assertThat(gauge(registry, "streamtrain.train.accuracy")).isEqualTo(0.84375);
        assertThat(gauge(registry, "streamtrain.train.loss")).isEqualTo(2.10);

        metrics.onSnapshot(snapshot(false, new EpochAccuracy(20, 32)));
        assertThat(gauge(registry, "streamtrain.train.epoch.accuracy")).as("only an epoch end sets it").isNaN();
        metrics.onSnapshot(snapshot(true, new EpochAccuracy(31, 64)));
        assertThat(gauge(registry, "streamtrain.train.epoch.accuracy")).isEqualTo(31 / 64.0);
        assertThat(registry.get("streamtrain.train.samples").tags(TAGS).counter().count()).isEqualTo(64);

        assertThat(registry.getMeters()).extracting(m -> m.getId().getConventionName(NamingConvention.snakeCase))
                .contains("streamtrain_train_accuracy", "streamtrain_train_epoch_accuracy", "streamtrain_train_loss");
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).tags(TAGS).gauge().value();
    }

    private static WeightSnapshot snapshot(boolean epochEnd, EpochAccuracy accuracy) {
        return WeightSnapshot.of(SPEC, 1, accuracy.samples() / 32, accuracy.samples(), 0, epochEnd, false,
                new EpochLoss(4.4, 2), accuracy, List.of(), SPEC.architecture().layout(),
                new float[SPEC.architecture().parameterCount()], new float[0]);
    }
}
