package dev.streamtrain.evaluator;

/**
 * A test set or validation split the evaluator needs is not on its topic, or not whole: missing
 * data, not a fault of the evaluator; the message names the topic and what is missing.
 */
public final class EvaluationSetMissingException extends IllegalStateException {

    public EvaluationSetMissingException(String message) {
        super(message);
    }
}
