package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.TestMetrics;

/** Told of every snapshot evaluated, e.g. to print the tutorial's test report. */
@FunctionalInterface
public interface EvaluationListener {

    EvaluationListener NONE = metrics -> { };

    void onEvaluated(TestMetrics metrics);
}
