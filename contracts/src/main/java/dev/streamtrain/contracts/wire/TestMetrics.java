package dev.streamtrain.contracts.wire;

import java.util.Objects;

/**
 * The evaluation of one snapshot, as published (JSON) on the metrics topic: the test loop over the
 * dataset's test set and, when the run's stream has one, the validation loop over its validation
 * split. The top-level {@code accuracy}, {@code avgLoss} and {@code testSamples} are the test set's,
 * as they always were; {@code test} and {@code validation} name each set and add per-class results.
 *
 * @param runId                   run the snapshot belongs to
 * @param dataset                 dataset the test set was taken from
 * @param model                   network name
 * @param epoch                   epoch of the snapshot
 * @param step                    step of the snapshot (minibatches trained)
 * @param samplesSeen             samples trained on when the snapshot was taken
 * @param epochEnd                true if the snapshot was taken at the end of its epoch
 * @param finalSnapshot           true for the run's last snapshot
 * @param accuracy                fraction of test samples classified correctly, in [0, 1]
 * @param avgLoss                 mean over test batches of the batch-mean cross-entropy, as the tutorial
 * @param testSamples             number of test samples evaluated
 * @param snapshotSha256          checksum of the snapshot's parameters
 * @param snapshotCreatedAtMillis when the snapshot was taken
 * @param evaluatedAtMillis       when the evaluation finished
 * @param trainLoss               the trainer's mean batch loss over the batches of {@code epoch} trained up to
 *                                the snapshot (at an epoch end, the epoch's train loss); NaN if the snapshot
 *                                does not carry it
 * @param trainAccuracy           the fraction of the samples of {@code epoch} trained up to the snapshot that the
 *                                network classified correctly in its training-mode forward pass; NaN if unknown
 * @param test                    the test loop, its set named, with the confusion matrix; null in records written
 *                                before metrics carried it
 * @param validation              the validation loop likewise; null when the run has no validation split
 * @param prequential             the trainer's test-then-train metrics at the snapshot's step (window and fading
 *                                accuracy and loss); null for snapshots before version 4 and records written
 *                                before metrics carried it
 */
public record TestMetrics(String runId, String dataset, String model, int epoch, long step, long samplesSeen,
                          boolean epochEnd, boolean finalSnapshot, double accuracy, double avgLoss,
                          int testSamples, String snapshotSha256, long snapshotCreatedAtMillis,
                          long evaluatedAtMillis, double trainLoss, double trainAccuracy, EvaluationResult test,
                          EvaluationResult validation, PrequentialMetrics prequential) {

    /** Metrics without prequential metrics (as records before 0.6 read). */
    public TestMetrics(String runId, String dataset, String model, int epoch, long step, long samplesSeen,
                       boolean epochEnd, boolean finalSnapshot, double accuracy, double avgLoss, int testSamples,
                       String snapshotSha256, long snapshotCreatedAtMillis, long evaluatedAtMillis, double trainLoss,
                       double trainAccuracy, EvaluationResult test, EvaluationResult validation) {
        this(runId, dataset, model, epoch, step, samplesSeen, epochEnd, finalSnapshot, accuracy, avgLoss, testSamples,
                snapshotSha256, snapshotCreatedAtMillis, evaluatedAtMillis, trainLoss, trainAccuracy, test, validation,
                null);
    }

    /** Metrics as records before per-class results read: no train accuracy, no named sets. */
    public TestMetrics(String runId, String dataset, String model, int epoch, long step, long samplesSeen,
                       boolean epochEnd, boolean finalSnapshot, double accuracy, double avgLoss, int testSamples,
                       String snapshotSha256, long snapshotCreatedAtMillis, long evaluatedAtMillis, double trainLoss) {
        this(runId, dataset, model, epoch, step, samplesSeen, epochEnd, finalSnapshot, accuracy, avgLoss, testSamples,
                snapshotSha256, snapshotCreatedAtMillis, evaluatedAtMillis, trainLoss, Double.NaN, null, null);
    }

    public TestMetrics {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(snapshotSha256, "snapshotSha256");
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy);
        }
        if (testSamples < 1) {
            throw new IllegalArgumentException("testSamples must be >= 1, got " + testSamples);
        }
    }

    /** These metrics with {@code trainLoss} instead. */
    public TestMetrics withTrainLoss(double loss) {
        return new TestMetrics(runId, dataset, model, epoch, step, samplesSeen, epochEnd, finalSnapshot, accuracy,
                avgLoss, testSamples, snapshotSha256, snapshotCreatedAtMillis, evaluatedAtMillis, loss, trainAccuracy,
                test, validation, prequential);
    }

    /** These metrics with {@code trainAccuracy} instead. */
    public TestMetrics withTrainAccuracy(double fraction) {
        return new TestMetrics(runId, dataset, model, epoch, step, samplesSeen, epochEnd, finalSnapshot, accuracy,
                avgLoss, testSamples, snapshotSha256, snapshotCreatedAtMillis, evaluatedAtMillis, trainLoss, fraction,
                test, validation, prequential);
    }

    /** These metrics with {@code metrics} as the prequential member instead. */
    public TestMetrics withPrequential(PrequentialMetrics metrics) {
        return new TestMetrics(runId, dataset, model, epoch, step, samplesSeen, epochEnd, finalSnapshot, accuracy,
                avgLoss, testSamples, snapshotSha256, snapshotCreatedAtMillis, evaluatedAtMillis, trainLoss,
                trainAccuracy, test, validation, metrics);
    }

    /**
     * The better of two evaluations of one run, the order of a run's "best snapshot" everywhere
     * (the evaluator's store, {@code runs}, {@code report}). With a validation split: the lower
     * validation loss (choosing on the test set would leak it into the choice), then the later step.
     * Without: the higher test accuracy, then the lower test loss, then the later step. A NaN never
     * wins; of two equal ones, {@code a}.
     */
    public static TestMetrics better(TestMetrics a, TestMetrics b) {
        if (a.hasValidation() && b.hasValidation()) {
            int byLoss = lowerFirst(a.validation().avgLoss(), b.validation().avgLoss());
            if (byLoss != 0) {
                return byLoss < 0 ? a : b;
            }
            return a.step() >= b.step() ? a : b;
        }
        int byAccuracy = lowerFirst(-a.accuracy(), -b.accuracy());
        if (byAccuracy != 0) {
            return byAccuracy < 0 ? a : b;
        }
        int byLoss = lowerFirst(a.avgLoss(), b.avgLoss());
        if (byLoss != 0) {
            return byLoss < 0 ? a : b;
        }
        return a.step() >= b.step() ? a : b;
    }

    /** Negative if {@code x} is better (lower), positive if {@code y} is; NaN is worse than any number. */
    private static int lowerFirst(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.isNaN(x) == Double.isNaN(y) ? 0 : Double.isNaN(x) ? 1 : -1;
        }
        return Double.compare(x, y) == 0 ? 0 : x < y ? -1 : 1;
    }

    /** True if the snapshot was also evaluated on its run's validation split. */
    public boolean hasValidation() {
        return validation != null;
    }
}
