package dev.streamtrain.trainer;

import java.util.Locale;

/**
 * What the trainer does with a record of its stream that does not decode as a minibatch
 * ({@code --on-bad-minibatch}). A run's stream is its data: skipping a batch changes the run, so
 * the default is to stop.
 */
public enum BadMinibatchPolicy {
    /** Stop the run with an error naming the record's topic, partition and offset; a restart stops there again. */
    FAIL,
    /**
     * Copy the record to the dead-letter topic, count it, and train on: the record takes the place of the batch
     * due next, and its offset goes into the run record, so that a resume and a replay skip the same records
     * and reach the same weights.
     */
    SKIP;

    /** The option's value, as typed: {@code fail}, {@code skip}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
