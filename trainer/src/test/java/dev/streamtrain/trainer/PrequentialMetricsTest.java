package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.PrequentialMetrics;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.TensorBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The acceptance test of the test-then-train (prequential) metrics: they equal an independent
 * computation over the same batches, and a resumed run reports exactly what an uninterrupted one does.
 */
class PrequentialMetricsTest {

    /** 150 samples in batches of 32: 4 full batches and a partial one of 22 each epoch. */
    private static final int FILE = 150;
    private static final int EPOCHS = 6;
    /** A window of 100 samples: three full batches, or the partial one and two full ones, never four. */
    private static final PrequentialSpec MEASURES = new PrequentialSpec(100, 0.99);

    private static List<StreamedBatch> stream() {
        return TrainingLoopTest.stream(EPOCHS, FILE, new Sampling(true, false, 7, 0));
    }

    private static TrainerSettings settings(int snapshotEvery) {
        return TrainingLoopTest.settings("p", TrainingRecipe.tutorial(0.05), snapshotEvery).withPrequential(MEASURES);
    }

    /** Hears the metrics after every batch. */
    private static final class Heard implements TrainingListener {
        final List<PrequentialMetrics> metrics = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();

        @Override
        public void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch,
                            int datasetSize, long stepNanos) {
            losses.add(loss);
        }

        @Override
        public void onPrequential(PrequentialMetrics m) {
            metrics.add(m);
        }
    }

    private static double gauge(MeterRegistry registry, String name, String estimator) {
        return registry.get(name).tag("run", "p").tag("estimator", estimator).gauge().value();
    }

    @Test
    void thePrequentialMetricsEqualAnIndependentComputationOverTheSameBatches() {
        List<StreamedBatch> batches = stream();
        TrainingLoopTest.MemorySink sink = new TrainingLoopTest.MemorySink();
        Heard heard = new Heard();
        MeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics gauges = new TrainerMetrics(registry);
        new TrainingLoop(settings(1), TrainingLoopTest.feed(batches), sink, TrainingListener.both(heard, gauges),
                ResumePoint.start(), null, null).run();
        assertThat(sink.snapshots).hasSize(batches.size()); // one a step

        // A second network, trained alongside on the same batches, predicts each batch before its step: eval mode
        // (the tutorial's network has no dropout nor batch norm, so its outputs are the training-mode pass's) gives
        // the batch's correct count; the second network's own step gives its loss before the update.
        TrainingStep shadow = TrainingStep.start(sink.snapshots.get(0).spec(), 1);
        int n = batches.size();
        int[] samples = new int[n];
        int[] correct = new int[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            Minibatch batch = batches.get(i).batch();
            TensorBatch tensors = ToTensor.apply(batch);
            float[] p = shadow.network().predict(tensors);
            double crossEntropy = 0;
            for (int s = 0; s < tensors.size(); s++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = p[s * 10 + c] > p[s * 10 + best] ? c : best;
                }
                correct[i] += best == tensors.labels()[s] ? 1 : 0;
                crossEntropy -= Math.log(Math.max(p[s * 10 + tensors.labels()[s]], 1e-10));
            }
            samples[i] = tensors.size();
            loss[i] = shadow.apply(tensors, batch.epoch(), i);
            // the loss from the probabilities, in float32 as the engine computes them: equal to float precision
            assertThat(loss[i]).as("batch %d", i).isCloseTo(crossEntropy / samples[i], within(1e-5));
            assertThat(heard.losses.get(i)).as("batch %d", i).isEqualTo(loss[i]);
        }
        assertThat(samples).contains(32, 22);
        assertThat(correct[n - 1]).as("the network learns").isGreaterThan(correct[0]);

        double fadingWeight = 0;
        double fadingAccuracy = 0;
        double fadingLoss = 0;
        for (int i = 0; i < n; i++) {
            // the window: the newest batches back from i while they hold at most 100 samples, at least batch i
            int from = i;
            int held = samples[i];
            while (from > 0 && held + samples[from - 1] <= MEASURES.window()) {
                held += samples[--from];
            }
            long right = 0;
            double lossSum = 0;
            for (int k = from; k <= i; k++) {
                right += correct[k];
                lossSum += loss[k] * samples[k];
            }
            // River's rule, sample by sample, each sample counted as its batch's mean
            for (int s = 0; s < samples[i]; s++) {
                fadingWeight = 0.99 * fadingWeight + 1;
                fadingAccuracy = 0.99 * fadingAccuracy + (double) correct[i] / samples[i];
                fadingLoss = 0.99 * fadingLoss + loss[i];
            }
            PrequentialMetrics m = heard.metrics.get(i);
            // the window's sums are the same sums in the same order: exact
            assertThat(m.windowSamples()).as("batch %d", i).isEqualTo(held);
            assertThat(m.windowAccuracy()).as("batch %d", i).isEqualTo((double) right / held);
            assertThat(m.windowLoss()).as("batch %d", i).isEqualTo(lossSum / held);
            // the trainer adds a batch in closed form (α^b, geometric sum), this loop sample by sample: both round at
            // every operation, a few hundred roundings of 2^-53 at most, far below 1e-12 relative
            assertThat(m.fadingAccuracy()).as("batch %d", i)
                    .isCloseTo(fadingAccuracy / fadingWeight, within(1e-12 * (fadingAccuracy / fadingWeight)));
            assertThat(m.fadingLoss()).as("batch %d", i)
                    .isCloseTo(fadingLoss / fadingWeight, within(1e-12 * (fadingLoss / fadingWeight)));
            // and each snapshot (one a step) carries exactly what the trainer measured at its step
            assertThat(sink.snapshots.get(i).prequentialMetrics()).as("snapshot %d", i).isEqualTo(m);
        }
        PrequentialMetrics last = heard.metrics.get(n - 1);
        assertThat(last.window()).isEqualTo(100);
        assertThat(last.fadingFactor()).isEqualTo(0.99);
        assertThat(gauge(registry, "streamtrain.prequential.accuracy", "window")).isEqualTo(last.windowAccuracy());
        assertThat(gauge(registry, "streamtrain.prequential.loss", "window")).isEqualTo(last.windowLoss());
        assertThat(gauge(registry, "streamtrain.prequential.accuracy", "fading")).isEqualTo(last.fadingAccuracy());
        assertThat(gauge(registry, "streamtrain.prequential.loss", "fading")).isEqualTo(last.fadingLoss());
        assertThat(registry.get("streamtrain.prequential.accuracy").gauges()).hasSize(2)
                .allSatisfy(g -> assertThat(g.getId().getTag("dataset")).isEqualTo("fashion-mnist"))
                .allSatisfy(g -> assertThat(g.getId().getTag("model")).isEqualTo("tutorial-mlp"));
    }

    @Test
    void aResumedRunReportsTheSameValuesAsAnUninterruptedOne() {
        List<StreamedBatch> batches = stream();
        TrainingLoopTest.MemorySink uninterrupted = new TrainingLoopTest.MemorySink();
        Heard heard = new Heard();
        new TrainingLoop(settings(4), TrainingLoopTest.feed(batches), uninterrupted, heard, ResumePoint.start(),
                null, null).run();

        WeightSnapshot at = uninterrupted.snapshots.get(uninterrupted.snapshots.size() / 2); // midway
        assertThat(at.prequential()).isNotNull();
        RunRecord record = uninterrupted.records.get(uninterrupted.snapshots.indexOf(at) + 1);
        int next = (int) at.offsets().get(0).nextOffset();
        TrainingLoopTest.MemorySink resumed = new TrainingLoopTest.MemorySink();
        Heard heardResumed = new Heard();
        MeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics gauges = new TrainerMetrics(registry);
        gauges.onRunStart(at.spec());
        gauges.onResume(at, next);
        assertThat(gauge(registry, "streamtrain.prequential.accuracy", "window"))
                .as("the gauges show the snapshot's values as soon as the run resumes")
                .isEqualTo(heard.metrics.get((int) at.step() - 1).windowAccuracy());
        new TrainingLoop(settings(4), TrainingLoopTest.feed(batches.subList(next, batches.size())), resumed,
                TrainingListener.both(heardResumed, gauges), ResumePoint.at(at, 0), record,
                TrainingStep.resume(at.spec(), at, 1)).run();

        assertThat(heardResumed.metrics)
                .isEqualTo(heard.metrics.subList((int) at.step(), heard.metrics.size()));
        List<WeightSnapshot> after = uninterrupted.snapshots.stream().filter(s -> s.step() > at.step()).toList();
        assertThat(resumed.snapshots).extracting(WeightSnapshot::prequential)
                .containsExactlyElementsOf(after.stream().map(WeightSnapshot::prequential).toList());
        PrequentialMetrics last = heard.metrics.get(heard.metrics.size() - 1);
        assertThat(gauge(registry, "streamtrain.prequential.loss", "fading")).isEqualTo(last.fadingLoss());
    }

    @Test
    void aRunResumedFromASnapshotWithoutPrequentialStateStartsItsMeasuresAfresh() {
        Prequential restored = Prequential.restore(MEASURES, null);
        assertThat(restored.state().window()).isEmpty();
        assertThat(restored.metrics().windowAccuracy()).isNaN();
        restored.add(10, 7, 0.5);
        assertThat(restored.metrics().windowAccuracy()).isEqualTo(0.7);
        assertThat(restored.metrics().fadingAccuracy()).isCloseTo(0.7, within(1e-15));
        assertThat(restored.metrics().fadingLoss()).isCloseTo(0.5, within(1e-15));
    }
}
