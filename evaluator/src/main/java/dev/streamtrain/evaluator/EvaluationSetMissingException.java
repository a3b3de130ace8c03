package dev.streamtrain.evaluator;

import java.util.Optional;

/**
 * A test set or validation split the evaluator needs is not on its topic, or not whole: missing
 * data, not a fault of the evaluator; the message names the topic and what is missing.
 */
public final class EvaluationSetMissingException extends IllegalStateException {

    public EvaluationSetMissingException(String message) {
        super(message);
    }

    /** The one among {@code failure} and its causes, if there is one. */
    public static Optional<EvaluationSetMissingException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EvaluationSetMissingException missing) {
                return Optional.of(missing);
            }
        }
        return Optional.empty();
    }
}
