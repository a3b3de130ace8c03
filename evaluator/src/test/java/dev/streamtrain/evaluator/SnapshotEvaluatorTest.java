package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.PrequentialMetrics;
import dev.streamtrain.contracts.wire.PrequentialState;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** One snapshot, evaluated on the test set and, when its run's stream has one, on the validation split. */
class SnapshotEvaluatorTest {

    private static final Sampling WITH_VALIDATION = Fixtures.loader(100);

    @BeforeAll
    static void oneThread() {
        Engines.get(Engines.DEFAULT).setMathThreads(1);
    }

    @Test
    void withoutAValidationSplitOnlyTheTestLoopRuns() {
        EvaluationSet test = Fixtures.testSet(200, 64);
        // the split is there, but the runs' specs do not say their streams have one: it is never read
        MemoryEvaluationSets sets = MemoryEvaluationSets.of(test)
                .validation("r1", Fixtures.validationSet("r1", WITH_VALIDATION, 40));
        SnapshotEvaluator evaluator = new SnapshotEvaluator(sets);
        Network network = Fixtures.trained(4);

        TestMetrics noLoader = evaluator.evaluate(Fixtures.snapshot("r1", network, 1, 4, false));
        TestMetrics noSplit = evaluator.evaluate(Fixtures.snapshot("r1", network, 1, 4, false,
                new Sampling(true, true, 7, 0), List.of()));

        TestResult direct = TestLoop.run(network, test);
        for (TestMetrics m : List.of(noLoader, noSplit)) {
            assertThat(m.hasValidation()).isFalse();
            assertThat(m.validation()).isNull();
            assertNamesTheTestSet(m.test());
            assertThat(m.test().accuracy()).isEqualTo(m.accuracy()).isEqualTo(direct.accuracy());
            assertThat(m.test().avgLoss()).isEqualTo(m.avgLoss()).isEqualTo(direct.avgLoss());
            assertThat(m.test().confusion()).isDeepEqualTo(direct.confusion());
            assertThat(m.testSamples()).isEqualTo(200);
            assertThat(TestReportPrinter.report(m)).doesNotContain("Validation")
                    .startsWith("Test Error: run r1, epoch 1, step 4");
        }
        assertThat(sets.asked).containsExactly("test fashion-mnist");
    }

    @Test
    void theMetricsCarryTheSnapshotsPrequentialMetricsAndNullForASnapshotWithout() {
        SnapshotEvaluator evaluator = new SnapshotEvaluator(MemoryEvaluationSets.of(Fixtures.testSet(64, 64)));
        WeightSnapshot old = Fixtures.snapshot("r1", Fixtures.trained(2), 1, 2, false);
        PrequentialState state = new PrequentialState(1.5, 0.75, 3.0, List.of(new PrequentialState.Batch(32, 24, 2.0),
                new PrequentialState.Batch(32, 16, 1.0)));
        WeightSnapshot v4 = new WeightSnapshot(old.runId(), old.spec().withPrequential(new PrequentialSpec(64, 0.9)),
                old.epoch(), old.step(), old.samplesSeen(), old.createdAtMillis(), old.epochEnd(), old.finalSnapshot(),
                old.trainLoss(), old.trainAccuracy(), old.offsets(), old.layout(), old.parameters(),
                old.updaterState(), old.parametersSha256(), state);

        assertThat(evaluator.evaluate(old).prequential()).isNull();
        assertThat(evaluator.evaluate(v4).prequential())
                .isEqualTo(new PrequentialMetrics(64, 64, 40 / 64.0, 1.5, 0.9, 0.5, 2.0));
    }

    @Test
    void withAValidationSplitBothLoopsRunAndTheMetricsNameBothSets() {
        EvaluationSet test = Fixtures.testSet(200, 64);
        EvaluationSet validation = Fixtures.validationSet("s1", WITH_VALIDATION, 40); // 40, 40, 20
        MemoryEvaluationSets sets = MemoryEvaluationSets.of(test).validation("s1", validation)
                .validation("s2", Fixtures.validationSet("s2", Fixtures.loader(60), 40));
        SnapshotEvaluator evaluator = new SnapshotEvaluator(sets);

        for (int steps : new int[] {2, 8}) {
            Network network = Fixtures.trained(steps);
            WeightSnapshot snapshot = Fixtures.snapshot("s1", network, 1, steps, false, WITH_VALIDATION, List.of());
            TestMetrics m = evaluator.evaluate(snapshot);

            assertNamesTheTestSet(m.test());
            assertThat(m.accuracy()).isEqualTo(m.test().accuracy());
            assertThat(m.avgLoss()).isEqualTo(m.test().avgLoss());
            EvaluationResult v = m.validation();
            assertThat(m.hasValidation()).isTrue();
            assertThat(v.split()).isEqualTo("validation");
            assertThat(v.topic()).isEqualTo(TopicNames.DEFAULT_TEST_SET);
            assertThat(v.key()).isEqualTo("s1/validation/");
            assertThat(v.batchSize()).isEqualTo(40);
            assertThat(v.batches()).isEqualTo(3);
            assertThat(v.samples()).isEqualTo(100);
            TestResult direct = TestLoop.run(network, validation);
            assertThat(v.accuracy()).isEqualTo(direct.accuracy());
            assertThat(v.avgLoss()).isEqualTo(direct.avgLoss());
            assertThat(v.confusion()).isDeepEqualTo(direct.confusion());
            assertThat(v.avgLoss()).as("another set, another loss").isNotEqualTo(m.avgLoss());
            assertThat(m.trainAccuracy()).isEqualTo(snapshot.trainAccuracy().mean()).isEqualTo(1 / 32.0);

            assertThat(TestReportPrinter.report(m)).isEqualTo(String.format(Locale.ROOT,
                    "Validation Error: run s1, epoch 1, step %d%n Accuracy: %.1f%%, Avg loss: %8f %n%n"
                            + "Test Error: run s1, epoch 1, step %d%n Accuracy: %.1f%%, Avg loss: %8f %n%n",
                    steps, 100 * v.accuracy(), v.avgLoss(), steps, 100 * m.accuracy(), m.avgLoss()));
        }
        assertThat(sets.asked).as("each set is read once, the validation split of the run's own stream")
                .containsExactly("test fashion-mnist", "validation s1");
    }

    @Test
    void theRunsTransformsApplyToTheTestSetAndTheValidationSplit() {
        EvaluationSet test = Fixtures.testSet(200, 64);
        EvaluationSet validation = Fixtures.validationSet("s1", WITH_VALIDATION, 40);
        SnapshotEvaluator evaluator = new SnapshotEvaluator(MemoryEvaluationSets.of(test).validation("s1",
                validation));
        Network network = Fixtures.trained(6);
        List<TensorTransform> normalize = List.of(new Normalize(new double[] {0.5}, new double[] {0.5}));

        TestMetrics plain = evaluator.evaluate(Fixtures.snapshot("s1", network, 1, 6, false, WITH_VALIDATION,
                List.of()));
        TestMetrics normalized = evaluator.evaluate(Fixtures.snapshot("s1", network, 1, 6, false, WITH_VALIDATION,
                normalize));

        TestResult test2 = TestLoop.run(network, test, normalize);
        TestResult validation2 = TestLoop.run(network, validation, normalize);
        assertThat(normalized.avgLoss()).isEqualTo(test2.avgLoss()).isNotEqualTo(plain.avgLoss());
        assertThat(normalized.accuracy()).isEqualTo(test2.accuracy());
        assertThat(normalized.validation().avgLoss()).isEqualTo(validation2.avgLoss())
                .isNotEqualTo(plain.validation().avgLoss());
        assertThat(normalized.validation().confusion()).isDeepEqualTo(validation2.confusion());
    }

    private static void assertNamesTheTestSet(EvaluationResult test) {
        assertThat(test.split()).isEqualTo("test");
        assertThat(test.topic()).isEqualTo(TopicNames.DEFAULT_TEST_SET);
        assertThat(test.key()).isEqualTo("fashion-mnist/");
        assertThat(test.batchSize()).isEqualTo(64);
        assertThat(test.batches()).isEqualTo(4);
        assertThat(test.samples()).isEqualTo(200);
        assertThat(test.classes()).isEqualTo(10);
    }
}
