package dev.streamtrain.trainer;

import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.WeightSnapshot;

/**
 * Where training stands: after the last trained batch, or at a restored snapshot. Knows which
 * batch of the stream must come next, so a gap or a repeat in the stream is caught.
 */
final class ResumePoint {

    long steps;
    long samplesSeen;
    int samplesInEpoch;
    private EpochLoss epochLoss = EpochLoss.NONE;
    private EpochAccuracy epochAccuracy = EpochAccuracy.NONE;
    private int epoch;
    private boolean epochEnded;
    private boolean fresh;

    static ResumePoint start() {
        ResumePoint point = new ResumePoint();
        point.fresh = true;
        return point;
    }

    static ResumePoint at(WeightSnapshot snapshot) {
        ResumePoint point = new ResumePoint();
        point.steps = snapshot.step();
        point.samplesSeen = snapshot.samplesSeen();
        point.epoch = snapshot.epoch();
        point.epochEnded = snapshot.epochEnd();
        point.samplesInEpoch = -1; // known once the next batch tells the dataset size
        point.epochLoss = snapshot.trainLoss();
        point.epochAccuracy = snapshot.trainAccuracy();
        return point;
    }

    /** Checks that {@code batch} is the one that must come next; explains the gap otherwise. */
    void requireNext(Minibatch batch, String where) {
        int expectedEpoch;
        int expectedBatch;
        if (fresh) {
            expectedEpoch = 1;
            expectedBatch = 0;
        } else if (epochEnded) {
            expectedEpoch = epoch + 1;
            expectedBatch = 0;
        } else {
            expectedEpoch = epoch;
            expectedBatch = (int) (steps - (long) (epoch - 1) * batch.batchesPerEpoch());
            if (samplesInEpoch < 0) {
                // Every epoch trains datasetSize samples, or only its full batches with drop_last.
                long perEpoch = batch.hasSampling() && batch.sampling().dropLast()
                        ? (long) batch.batchesPerEpoch() * batch.sampleCount() : batch.datasetSize();
                samplesInEpoch = (int) (samplesSeen - (long) (epoch - 1) * perEpoch);
            }
        }
        if (batch.epoch() != expectedEpoch || batch.batchIndex() != expectedBatch) {
            throw new IllegalStateException("expected epoch " + expectedEpoch + " batch " + expectedBatch + " but "
                    + where + " holds epoch " + batch.epoch() + " batch " + batch.batchIndex()
                    + (fresh && steps == 0 ? "; does --from-offset point inside the stream?"
                    : "; was the stream produced twice under one id?"));
        }
    }

    /** Records that {@code batch} was trained on, with loss {@code loss} and {@code correct} samples right. */
    void advance(Minibatch batch, double loss, int correct) {
        if (batch.batchIndex() == 0) {
            samplesInEpoch = 0;
            epochLoss = EpochLoss.NONE;
            epochAccuracy = EpochAccuracy.NONE;
        }
        epochLoss = epochLoss.plus(loss);
        epochAccuracy = epochAccuracy.plus(correct, batch.sampleCount());
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
