package dev.streamtrain.evaluator;

/** A snapshot record keyed by another run than the snapshot's: skipped and dead-lettered ({@link DeadLetteringHandler}). */
public final class MisKeyedRecordException extends IllegalArgumentException {

    public MisKeyedRecordException(String key, String run) {
        super("snapshot record keyed '" + key + "' holds run '" + run + "'; snapshots must be keyed by their run id");
    }
}
