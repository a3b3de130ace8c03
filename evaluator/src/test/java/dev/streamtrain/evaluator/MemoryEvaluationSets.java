package dev.streamtrain.evaluator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation sets held in memory, for tests: the evaluator reads them as it reads the test-set
 * topic. Remembers what it was asked for, and fails for a set it does not hold.
 */
final class MemoryEvaluationSets implements EvaluationSets {

    private final Map<String, EvaluationSet> tests = new HashMap<>();
    private final Map<String, EvaluationSet> validations = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    /** Holds {@code test} as the test set of fashion-mnist. */
    static MemoryEvaluationSets of(EvaluationSet test) {
        return new MemoryEvaluationSets().test("fashion-mnist", test);
    }

    MemoryEvaluationSets test(String dataset, EvaluationSet set) {
        tests.put(dataset, set);
        return this;
    }

    MemoryEvaluationSets validation(String stream, EvaluationSet set) {
        validations.put(stream, set);
        return this;
    }

    @Override
    public EvaluationSet test(String dataset) {
        asked.add("test " + dataset);
        EvaluationSet set = tests.get(dataset);
        if (set == null) {
            throw new IllegalStateException("no test set of " + dataset + " in memory");
        }
        return set;
    }

    @Override
    public EvaluationSet validation(String stream) {
        asked.add("validation " + stream);
        EvaluationSet set = validations.get(stream);
        if (set == null) {
            throw new IllegalStateException("no validation split of stream " + stream + " in memory");
        }
        return set;
    }
}
