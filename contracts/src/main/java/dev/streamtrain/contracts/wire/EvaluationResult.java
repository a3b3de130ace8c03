package dev.streamtrain.contracts.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Objects;

/**
 * One evaluation loop (the tutorial's {@code test_loop}) over one evaluation set, with the set
 * named: which split, from which topic, in batches of what size. Part of a metrics record.
 *
 * @param split     {@code test} or {@code validation}
 * @param topic     the topic the set was read from
 * @param key       the record key prefix of its batches: {@code <dataset>/} for a test set,
 *                  {@code <stream>/validation/} for a stream's validation split
 * @param batchSize samples per batch (the first batch's; the last may be smaller)
 * @param batches   batches evaluated: {@code avgLoss} is the mean of their batch-mean losses
 * @param samples   samples evaluated
 * @param accuracy  fraction of samples classified correctly, in [0, 1]
 * @param avgLoss   mean over batches of each batch's mean loss
 * @param confusion {@code confusion[actual][predicted]}: samples of class {@code actual} classified as
 *                  {@code predicted}; classes x classes
 */
public record EvaluationResult(String split, String topic, String key, int batchSize, int batches, int samples,
                               double accuracy, double avgLoss, long[][] confusion) {

    public EvaluationResult {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(confusion, "confusion");
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy);
        }
        if (samples < 1 || batches < 1 || batchSize < 1) {
            throw new IllegalArgumentException("an evaluation counts >= 1 sample, batch and batch size; got "
                    + samples + ", " + batches + ", " + batchSize);
        }
        long counted = 0;
        confusion = confusion.clone();
        for (int i = 0; i < confusion.length; i++) {
            if (confusion[i] == null || confusion[i].length != confusion.length) {
                throw new IllegalArgumentException("confusion must be classes x classes, row " + i + " is "
                        + Arrays.toString(confusion[i]));
            }
            confusion[i] = confusion[i].clone();
            for (long n : confusion[i]) {
                if (n < 0) {
                    throw new IllegalArgumentException("confusion counts must be >= 0, row " + i + " is "
                            + Arrays.toString(confusion[i]));
                }
                counted += n;
            }
        }
        if (confusion.length > 0 && counted != samples) {
            throw new IllegalArgumentException("confusion counts " + counted + " samples, the evaluation " + samples);
        }
    }

    /** Per class: the fraction of its samples classified correctly (recall); NaN for a class with no samples. */
    @JsonProperty(value = "classAccuracy", access = JsonProperty.Access.READ_ONLY)
    public double[] classAccuracy() {
        long[] samples = classSamples();
        double[] out = new double[confusion.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = samples[c] == 0 ? Double.NaN : (double) confusion[c][c] / samples[c];
        }
        return out;
    }

    /** Per class: its samples in the set (the confusion matrix's row sums). */
    @JsonIgnore
    public long[] classSamples() {
        long[] out = new long[confusion.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = Arrays.stream(confusion[c]).sum();
        }
        return out;
    }

    @JsonIgnore
    public int classes() {
        return confusion.length;
    }

    @Override
    public long[][] confusion() {
        long[][] out = confusion.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i].clone();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationResult r && split.equals(r.split) && topic.equals(r.topic) && key.equals(r.key)
                && batchSize == r.batchSize && batches == r.batches && samples == r.samples
                && Double.compare(accuracy, r.accuracy) == 0 && Double.compare(avgLoss, r.avgLoss) == 0
                && Arrays.deepEquals(confusion, r.confusion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(split, topic, key, batchSize, batches, samples, accuracy, avgLoss)
                + 31 * Arrays.deepHashCode(confusion);
    }

    @Override
    public String toString() {
        return "EvaluationResult[" + split + " " + key + " on " + topic + ", " + samples + " samples in " + batches
                + " batches of " + batchSize + ": accuracy " + accuracy + ", avgLoss " + avgLoss + "]";
    }
}
