package dev.streamtrain.evaluator;

/** Where the evaluator gets its evaluation sets: from the test-set topic, or from memory in tests. */
public interface EvaluationSets {

    /** The test set of {@code dataset}. */
    EvaluationSet test(String dataset);

    /** The validation split of the stream {@code stream}. */
    EvaluationSet validation(String stream);
}
