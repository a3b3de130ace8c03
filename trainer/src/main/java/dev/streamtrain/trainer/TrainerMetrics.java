package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.wire.PrequentialMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer's meters, tagged with run, dataset and model: {@code streamtrain_train_loss} (last
 * batch), {@code streamtrain_train_epoch_loss} (mean over the last completed epoch, the tutorial's
 * train loss per epoch), {@code streamtrain_train_samples_total}, {@code streamtrain_train_batches_total},
 * {@code streamtrain_train_epoch}, {@code streamtrain_train_step_seconds} (forward, backward and
 * step of one batch), {@code streamtrain_snapshots_published_total}, and the test-then-train metrics
 * {@code streamtrain_prequential_accuracy} and {@code streamtrain_prequential_loss}, each twice, tagged
 * {@code estimator} {@code window} (the sliding window) and {@code fading} (the fading average).
 */
public final class TrainerMetrics implements TrainingListener {

    private final MeterRegistry registry;
    private final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> epoch = new AtomicReference<>(0.0);
    private final AtomicReference<Double> epochLoss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> accuracy = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> epochAccuracy = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> windowAccuracy = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> windowLoss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> fadingAccuracy = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> fadingLoss = new AtomicReference<>(Double.NaN);
    private Counter samples;
    private Counter batches;
    private Counter snapshots;
    private Timer step;
    private int lastSamplesInEpoch;

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onRunStart(RunSpec spec) {
        Tags tags = Tags.of("run", spec.runId(), "dataset", spec.dataset(), "model", spec.model());
        Gauge.builder("streamtrain.train.loss", loss, AtomicReference::get)
                .description("Mean loss of the last trained minibatch").tags(tags).strongReference(true)
                .register(registry);
        Gauge.builder("streamtrain.train.epoch.loss", epochLoss, AtomicReference::get)
                .description("Mean minibatch loss over the last completed epoch").tags(tags).strongReference(true)
                .register(registry);
        Gauge.builder("streamtrain.train.accuracy", accuracy, AtomicReference::get)
                .description("Fraction of the last trained minibatch its training-mode forward pass classified "
                        + "correctly").tags(tags).strongReference(true).register(registry);
        Gauge.builder("streamtrain.train.epoch.accuracy", epochAccuracy, AtomicReference::get)
                .description("Training accuracy (fraction) over the last completed epoch").tags(tags)
                .strongReference(true).register(registry);
        Gauge.builder("streamtrain.train.epoch", epoch, AtomicReference::get)
                .description("Epoch being trained (1-based)").tags(tags).strongReference(true).register(registry);
        prequentialGauge("accuracy", "window", windowAccuracy, tags,
                "Fraction of the samples of the sliding window predicted correctly before being trained on");
        prequentialGauge("loss", "window", windowLoss, tags,
                "Mean loss of the samples of the sliding window, predicted before being trained on");
        prequentialGauge("accuracy", "fading", fadingAccuracy, tags,
                "Fading-factor mean of the samples' correctness, predicted before being trained on");
        prequentialGauge("loss", "fading", fadingLoss, tags,
                "Fading-factor mean of the samples' loss, predicted before being trained on");
        samples = Counter.builder("streamtrain.train.samples").description("Samples trained on")
                .tags(tags).register(registry);
        batches = Counter.builder("streamtrain.train.batches").description("Minibatches trained on")
                .tags(tags).register(registry);
        snapshots = Counter.builder("streamtrain.snapshots.published").description("Snapshots committed")
                .tags(tags).register(registry);
        step = Timer.builder("streamtrain.train.step").description("Forward, loss, backward and step of one batch")
                .tags(tags).register(registry);
    }

    private void prequentialGauge(String what, String estimator, AtomicReference<Double> value, Tags tags,
                                  String description) {
        Gauge.builder("streamtrain.prequential." + what, value, AtomicReference::get).description(description)
                .tags(tags.and("estimator", estimator)).strongReference(true).register(registry);
    }

    @Override
    public void onResume(WeightSnapshot snapshot, long nextOffset) {
        PrequentialMetrics metrics = snapshot.prequentialMetrics();
        if (metrics != null) {
            onPrequential(metrics);
        }
    }

    @Override
    public void onPrequential(PrequentialMetrics metrics) {
        windowAccuracy.set(metrics.windowAccuracy());
        windowLoss.set(metrics.windowLoss());
        fadingAccuracy.set(metrics.fadingAccuracy());
        fadingLoss.set(metrics.fadingLoss());
    }

    @Override
    public void onEpochStart(int epochNumber) {
        epoch.set((double) epochNumber);
    }

    @Override
    public void onBatch(int epochNumber, int batchIndex, double batchLoss, double batchAccuracy, int samplesInEpoch,
                        int datasetSize, long stepNanos) {
        if (batchIndex == 0) {
            lastSamplesInEpoch = 0;
        }
        loss.set(batchLoss);
        accuracy.set(batchAccuracy);
        epoch.set((double) epochNumber);
        samples.increment(Math.max(0, samplesInEpoch - lastSamplesInEpoch));
        lastSamplesInEpoch = samplesInEpoch;
        batches.increment();
        step.record(stepNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onSnapshot(WeightSnapshot snapshot) {
        snapshots.increment();
        if (snapshot.epochEnd()) {
            epochLoss.set(snapshot.trainLoss().mean());
            epochAccuracy.set(snapshot.trainAccuracy().mean());
        }
    }
}
