package dev.streamtrain.launcher.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MeterSamplerTest {

    private static final Tags RUN = Tags.of("run", "r1", "dataset", "fashion-mnist", "model", "mlp");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();
    private final CurveHistory history = new CurveHistory(3);
    private final MeterSampler sampler = new MeterSampler(registry, history, nanos::get);

    private AtomicReference<Double> gauge(String name, Tags tags, double value) {
        AtomicReference<Double> holder = new AtomicReference<>(value);
        Gauge.builder(name, holder, AtomicReference::get).tags(tags).strongReference(true).register(registry);
        return holder;
    }

    @Test
    void trainAndPrequentialCurvesGetAPointPerMovedBatchCount() {
        Counter batches = Counter.builder("streamtrain.train.batches").tags(RUN).register(registry);
        AtomicReference<Double> loss = gauge("streamtrain.train.loss", RUN, 2.3);
        gauge("streamtrain.train.accuracy", RUN, 0.1);
        gauge("streamtrain.prequential.accuracy", RUN.and("estimator", "window"), 0.2);
        gauge("streamtrain.prequential.loss", RUN.and("estimator", "fading"), 2.1);
        Counter.builder("streamtrain.train.samples").tags(RUN).register(registry).increment(64);
        batches.increment();

        MeterSampler.Update first = sampler.sample();
        assertThat(first.status().get("r1")).containsEntry("samples", 64.0);
        assertThat(first.curves().get("r1")).containsOnlyKeys("train.loss", "train.accuracy",
                "prequential.accuracy.window", "prequential.loss.fading");
        assertThat(first.curves().get("r1").get("train.loss")).containsExactly(new CurveHistory.Point(0, 2.3));

        nanos.addAndGet(1_500_000_000L);
        loss.set(1.9);
        assertThat(sampler.sample().curves()).as("no batch trained since: no new point").isEmpty();

        batches.increment();
        nanos.addAndGet(1_000_000_000L);
        MeterSampler.Update third = sampler.sample();
        assertThat(third.t()).isEqualTo(2.5);
        assertThat(third.curves().get("r1").get("train.loss")).containsExactly(new CurveHistory.Point(2.5, 1.9));
        assertThat(history.curves().get("r1").get("train.loss")).extracting(CurveHistory.Point::v)
                .containsExactly(2.3, 1.9);
    }

    @Test
    void testAndValidationCurvesGetAPointPerEvaluatedSnapshotAndServedSnapshotIsStatus() {
        Timer evaluated = Timer.builder("streamtrain.snapshot.to.metric").tags(RUN).register(registry);
        AtomicReference<Double> accuracy = gauge("streamtrain.test.accuracy", RUN, 0.5);
        gauge("streamtrain.val.loss", RUN, Double.NaN);
        gauge("streamtrain.served.snapshot.step", Tags.of("run", "r1"), 40);
        gauge("streamtrain.served.snapshot.age", Tags.of("run", "r1"), Double.NaN);
        evaluated.record(Duration.ofMillis(5));

        MeterSampler.Update first = sampler.sample();
        assertThat(first.curves().get("r1")).as("NaN is no point").containsOnlyKeys("test.accuracy");
        assertThat(first.status().get("r1")).containsEntry("served.step", 40.0).containsEntry("evaluated", 1.0)
                .doesNotContainKey("served.age");

        accuracy.set(0.5);
        evaluated.record(Duration.ofMillis(5));
        assertThat(sampler.sample().curves().get("r1").get("test.accuracy"))
                .as("a second snapshot with the same accuracy is still a point").hasSize(1);
        assertThat(sampler.sample().curves()).isEmpty();
    }

    @Test
    void historyKeepsTheNewestPointsOfEachCurve() {
        for (int i = 0; i < 5; i++) {
            history.add("r", "train.loss", new CurveHistory.Point(i, i));
        }
        history.add("r", "test.loss", new CurveHistory.Point(9, 9));
        assertThat(history.curves().get("r").get("train.loss")).extracting(CurveHistory.Point::t)
                .containsExactly(2.0, 3.0, 4.0);
        assertThat(history.curves().get("r").get("test.loss")).hasSize(1);
        assertThatIllegalArgumentException().isThrownBy(() -> new CurveHistory(0)).withMessageContaining("got 0");
    }

    @Test
    void meterOfAnotherRunOrWithoutRunTagStaysApart() {
        gauge("streamtrain.train.loss", Tags.of("run", "a"), 1.0);
        gauge("streamtrain.train.loss", Tags.of("run", "b"), 2.0);
        gauge("streamtrain.train.loss", Tags.empty(), 3.0);
        assertThat(sampler.sample().curves()).containsOnlyKeys("a", "b");
    }
}
