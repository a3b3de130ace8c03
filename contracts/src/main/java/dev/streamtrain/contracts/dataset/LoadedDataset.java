package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;

import java.util.Arrays;
import java.util.Objects;

/** Both splits of a dataset, read from its files, and the definition they were read by. */
public record LoadedDataset(DatasetDefinition definition, ImageDataset train, ImageDataset test) {

    public LoadedDataset {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.split() != Split.TRAIN || test.split() != Split.TEST) {
            throw new IllegalArgumentException("expected the TRAIN and TEST splits, got " + train.split() + " and "
                    + test.split());
        }
        if (!Arrays.equals(train.sampleShape(), test.sampleShape())) {
            throw new IllegalArgumentException(definition.name() + ": training samples are "
                    + Arrays.toString(train.sampleShape()) + " but test samples "
                    + Arrays.toString(test.sampleShape()));
        }
    }
}
