package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.Minibatch;

import java.util.List;

/** A dataset's whole test split, as the batches the producer published. */
public record TestSet(String dataset, List<Minibatch> batches) {

    public TestSet {
        batches = List.copyOf(batches);
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("test set of " + dataset + " has no batches");
        }
    }

    public int size() {
        return batches.stream().mapToInt(Minibatch::sampleCount).sum();
    }
}
