package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.WeightSnapshot;

/**
 * Where training stands: after the last trained batch, or at a restored snapshot. Knows which
 * batch of the stream must come next, so a gap or a repeat in the stream is caught. A skipped
 * record ({@link BadMinibatchPolicy#SKIP}) takes the place of the batch due next: the stream's
 * position is the batches trained plus the records skipped.
 */
final class ResumePoint {

    long steps;
    /** Records of the stream skipped as bad minibatches, each in the place of a batch. */
    long skipped;
    long samplesSeen;
    int samplesInEpoch;
    private EpochLoss epochLoss = EpochLoss.NONE;
    private EpochAccuracy epochAccuracy = EpochAccuracy.NONE;
    private int epoch;
    private boolean epochEnded;
    private boolean fresh;
    /** The test-then-train metrics; null until the run's spec is known ({@link #measure}). */
    private Prequential prequential;

    static ResumePoint start() {
        ResumePoint point = new ResumePoint();
        point.fresh = true;
        return point;
    }

    /** At {@code snapshot}, after {@code skippedBefore} skipped records of the stream. */
    static ResumePoint at(WeightSnapshot snapshot, int skippedBefore) {
        ResumePoint point = new ResumePoint();
        point.steps = snapshot.step();
        point.skipped = skippedBefore;
        point.samplesSeen = snapshot.samplesSeen();
        point.epoch = snapshot.epoch();
        point.epochEnded = snapshot.epochEnd();
        point.samplesInEpoch = -1; // known once the next batch tells the dataset size
        point.epochLoss = snapshot.trainLoss();
        point.epochAccuracy = snapshot.trainAccuracy();
        // from the start if the snapshot is older than version 4 and does not carry it
        point.prequential = Prequential.restore(snapshot.spec().prequential(), snapshot.prequential());
        return point;
    }

    /** Measures the test-then-train metrics as {@code spec} says, from nothing, unless they are measured already. */
    void measure(PrequentialSpec spec) {
        if (prequential == null) {
            prequential = Prequential.start(spec);
        }
    }

    /** The test-then-train metrics so far. */
    Prequential prequential() {
        return prequential;
    }

    /** Checks that {@code batch} is the one that must come next; explains the gap otherwise. */
    void requireNext(Minibatch batch, String where) {
        // the stream's batches are numbered epoch by epoch: batch b of epoch e is (e - 1) * batchesPerEpoch + b
        long due = position();
        int expectedEpoch = (int) (due / batch.batchesPerEpoch()) + 1;
        int expectedBatch = (int) (due % batch.batchesPerEpoch());
        if (!fresh && !epochEnded && samplesInEpoch < 0 && epochAccuracy.known()) {
            // the samples the epoch's accuracy counts: those trained in the epoch so far
            samplesInEpoch = (int) epochAccuracy.samples();
        } else if (!fresh && !epochEnded && samplesInEpoch < 0) {
            // (snapshots written before they counted accuracy) Every epoch trains datasetSize samples, or only its
            // full batches with drop_last.
            long perEpoch = batch.hasSampling() && batch.sampling().dropLast()
                    ? (long) batch.batchesPerEpoch() * batch.sampleCount() : batch.datasetSize();
            samplesInEpoch = (int) Math.max(0, samplesSeen - (long) (epoch - 1) * perEpoch);
        }
        if (batch.epoch() != expectedEpoch || batch.batchIndex() != expectedBatch) {
            throw new IllegalStateException("expected epoch " + expectedEpoch + " batch " + expectedBatch + " but "
                    + where + " holds epoch " + batch.epoch() + " batch " + batch.batchIndex()
                    + (fresh && steps == 0 ? "; does --from-offset point inside the stream?"
                    : "; was the stream produced twice under one id?"));
        }
    }

    /** Index in the stream of the batch due next: batches trained plus records skipped in their place. */
    long position() {
        return steps + skipped;
    }

    /**
     * Records that the record due next was skipped, in the place of batch {@code position()} of a
     * stream of {@code batchesPerEpoch} batches an epoch.
     *
     * @return whether that batch was the last of its epoch (which has then ended without it)
     */
    boolean skip(int batchesPerEpoch) {
        long index = position();
        startEpochIfNew((int) (index / batchesPerEpoch) + 1);
        skipped++;
        fresh = false;
        epochEnded = index % batchesPerEpoch == batchesPerEpoch - 1;
        return epochEnded;
    }

    /**
     * Records that the record due next was skipped where the stream's batches an epoch are not known
     * yet (no batch read since the start): it counts in the position, and the epoch stands as it was;
     * the next batch tells where the stream is ({@link #leavesEpochUnended}).
     */
    void skipUnplaced() {
        skipped++;
    }

    /** Sets the epoch to {@code next}, with its counts at zero if it is not the current one. */
    private void startEpochIfNew(int next) {
        if (fresh || next != epoch || epochEnded) {
            samplesInEpoch = 0;
            epochLoss = EpochLoss.NONE;
            epochAccuracy = EpochAccuracy.NONE;
        }
        epoch = next;
    }

    /** The epoch of the last batch trained or skipped. */
    int epoch() {
        return epoch;
    }

    /** Whether {@code batch} starts a new epoch while the current one has not ended: its last batch was skipped. */
    boolean leavesEpochUnended(Minibatch batch) {
        return !fresh && !epochEnded && batch.epoch() > epoch;
    }

    /** Marks the current epoch ended (its last batch was skipped where the loop could not tell). */
    void endEpoch() {
        epochEnded = true;
    }

    /** Records that {@code batch} was trained on, with loss {@code loss} and {@code correct} samples right. */
    void advance(Minibatch batch, double loss, int correct) {
        startEpochIfNew(batch.epoch());
        epochLoss = epochLoss.plus(loss);
        epochAccuracy = epochAccuracy.plus(correct, batch.sampleCount());
        prequential.add(batch.sampleCount(), correct, loss);
        fresh = false;
        steps++;
        samplesSeen += batch.sampleCount();
        samplesInEpoch += batch.sampleCount();
        epoch = batch.epoch();
        epochEnded = batch.endsEpoch();
    }

    /** The loss of the current epoch's batches trained so far. */
    EpochLoss epochLoss() {
        return epochLoss;
    }

    /** The training accuracy of the current epoch's batches trained so far. */
    EpochAccuracy epochAccuracy() {
        return epochAccuracy;
    }
}
