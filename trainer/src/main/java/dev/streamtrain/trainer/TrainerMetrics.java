package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunSpec;
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
 * step of one batch) and {@code streamtrain_snapshots_published_total}.
 */
public final class TrainerMetrics implements TrainingListener {

    private final MeterRegistry registry;
    private final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> epoch = new AtomicReference<>(0.0);
    private final AtomicReference<Double> epochLoss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> accuracy = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> epochAccuracy = new AtomicReference<>(Double.NaN);
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
        samples = Counter.builder("streamtrain.train.samples").description("Samples trained on")
                .tags(tags).register(registry);
        batches = Counter.builder("streamtrain.train.batches").description("Minibatches trained on")
                .tags(tags).register(registry);
        snapshots = Counter.builder("streamtrain.snapshots.published").description("Snapshots committed")
                .tags(tags).register(registry);
        step = Timer.builder("streamtrain.train.step").description("Forward, loss, backward and step of one batch")
                .tags(tags).register(registry);
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
