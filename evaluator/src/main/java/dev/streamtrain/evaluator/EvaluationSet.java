package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;

import java.util.List;

/**
 * A whole evaluation set as the producer published it: a dataset's test split, or a stream's
 * validation split, with where it was read from.
 *
 * @param split   {@link Split#TEST} or {@link Split#VALIDATION}
 * @param topic   the topic it was read from
 * @param key     the key prefix of its batches ({@code <dataset>/} or {@code <stream>/validation/})
 * @param batches its batches, in batch index order
 */
public record EvaluationSet(Split split, String topic, String key, List<Minibatch> batches) {

    public EvaluationSet {
        batches = List.copyOf(batches);
        if (batches.isEmpty()) {
            throw new IllegalArgumentException(split.label() + " set " + key + " has no batches");
        }
    }

    public int size() {
        return batches.stream().mapToInt(Minibatch::sampleCount).sum();
    }

    /** Samples per batch: the first batch's (the last may be smaller). */
    public int batchSize() {
        return batches.get(0).sampleCount();
    }

    public int numClasses() {
        return batches.get(0).numClasses();
    }
}
