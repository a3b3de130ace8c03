package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.trainer.TrainingListener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times a trainer's epochs from its callbacks, start-up excluded: epoch 1 from the end of the
 * run's first step (consumer connected, run found, first batch fetched and trained) to its
 * snapshot's commit, each later epoch from the previous epoch's commit to its own. The first step's
 * samples are left out, so every epoch counts only samples trained within its timed span.
 */
final class EpochClock implements TrainingListener {

    /**
     * One epoch: batches and samples trained in its timed span, its wall seconds, and the seconds the
     * trainer timed as steps (ToTensor, forward, backward, update).
     */
    record Epoch(int epoch, int batches, int samples, double seconds, double stepSeconds) {

        double samplesPerSecond() {
            return samples / seconds;
        }
    }

    private final long created = System.nanoTime();
    private final List<Epoch> epochs = new ArrayList<>();
    private long firstStepEnd = -1;
    private long spanStart;
    private int spanBatches;
    private int spanSamples;
    private long spanStepNanos;
    private int lastSamplesInEpoch;

    @Override
    public void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch, int datasetSize,
                        long stepNanos) {
        long now = System.nanoTime();
        int samples = samplesInEpoch - (batchIndex == 0 ? 0 : lastSamplesInEpoch);
        lastSamplesInEpoch = samplesInEpoch;
        if (firstStepEnd < 0) {
            firstStepEnd = now;
            spanStart = now;
            return;
        }
        spanBatches++;
        spanSamples += samples;
        spanStepNanos += stepNanos;
    }

    @Override
    public void onSnapshot(WeightSnapshot snapshot) {
        if (!snapshot.epochEnd()) {
            return;
        }
        long now = System.nanoTime();
        epochs.add(new Epoch(snapshot.epoch(), spanBatches, spanSamples, (now - spanStart) / 1e9, spanStepNanos / 1e9));
        spanStart = now;
        spanBatches = 0;
        spanSamples = 0;
        spanStepNanos = 0;
    }

    /** {@link System#nanoTime()} at the end of the run's first step; -1 before it. */
    long firstStepEndNanos() {
        return firstStepEnd;
    }

    /** Samples trained after the first step, up to the last epoch-end snapshot. */
    int samplesAfterFirstStep() {
        return epochs.stream().mapToInt(Epoch::samples).sum();
    }

    /** Seconds from this clock's creation (the trainer's start) to the end of its first step. */
    double startupSeconds() {
        return (firstStepEnd - created) / 1e9;
    }

    List<Epoch> epochs() {
        return epochs;
    }

    /** Milliseconds per batch of all timed spans: {@code [wall, timed as steps]}. */
    double[] millisPerBatch() {
        int batches = epochs.stream().mapToInt(Epoch::batches).sum();
        return new double[] {epochs.stream().mapToDouble(Epoch::seconds).sum() * 1000 / batches,
                epochs.stream().mapToDouble(Epoch::stepSeconds).sum() * 1000 / batches};
    }

    /** Samples over seconds of all timed spans. */
    double samplesPerSecond() {
        return epochs.stream().mapToInt(Epoch::samples).sum() / epochs.stream().mapToDouble(Epoch::seconds).sum();
    }

    List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Epoch e : epochs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("batches", e.batches());
            m.put("samples", e.samples());
            m.put("seconds", e.seconds());
            m.put("samplesPerSecond", e.samplesPerSecond());
            m.put("stepSeconds", e.stepSeconds());
            out.add(m);
        }
        return out;
    }
}
