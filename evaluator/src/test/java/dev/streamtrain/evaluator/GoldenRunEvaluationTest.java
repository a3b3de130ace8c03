package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.golden.GoldenRun;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshots of every golden run evaluate today, on the test and validation batches the golden
 * holds, to exactly the metrics the evaluator of that day published for them: accuracy, average
 * loss, train loss and accuracy, and (from 0.4 on) each set's confusion matrix and validation figures.
 * The evaluator's choice of the best snapshot is the one its changelog recorded.
 */
class GoldenRunEvaluationTest {

    @BeforeAll
    static void oneThread() {
        Engines.get(Engines.DEFAULT).setMathThreads(1);
    }

    static List<GoldenRun> goldenRuns() {
        return GoldenRun.all();
    }

    @ParameterizedTest
    @MethodSource("goldenRuns")
    void goldenSnapshotsEvaluateToTheirPublishedMetricsBitForBit(GoldenRun golden) {
        List<WeightSnapshot> snapshots = golden.snapshots();
        List<TestMetrics> published = golden.metrics(TopicNames.DEFAULT_METRICS);
        SnapshotEvaluator evaluator = new SnapshotEvaluator(evaluationSets(golden, snapshots.get(0).spec()));

        assertThat(published).hasSameSizeAs(snapshots);
        for (int i = 0; i < snapshots.size(); i++) {
            TestMetrics now = evaluator.evaluate(snapshots.get(i));
            TestMetrics then = published.get(i);
            String at = golden + " step " + then.step();
            if (then.test() == null) {
                // written before metrics named their sets: the members it has
                assertThat(now.snapshotSha256()).as(at).isEqualTo(then.snapshotSha256());
                assertThat(now.accuracy()).as(at).isEqualTo(then.accuracy());
                assertThat(now.avgLoss()).as(at).isEqualTo(then.avgLoss());
                assertThat(now.trainLoss()).as(at).isEqualTo(then.trainLoss());
                assertThat(now.testSamples()).as(at).isEqualTo(then.testSamples());
                // snapshots of that day carry no train accuracy, and their run had no validation split
                assertThat(now.trainAccuracy()).as(at).isNaN();
                assertThat(now.validation()).as(at).isNull();
                assertThat(now.test().accuracy()).as(at).isEqualTo(then.accuracy());
            } else {
                // every member, the evaluation's wall-clock time aside
                assertThat(evaluatedAt(now, then.evaluatedAtMillis())).as(at).isEqualTo(then);
                assertThat(now.validation() != null).as(at).isEqualTo(snapshots.get(i).spec().hasValidation());
            }
        }
    }

    @Test
    void theBestSnapshotOfTheGoldenRunIsTheOneItsChangelogRecorded() {
        GoldenRun golden = GoldenRun.named(GoldenRun.STREAMTRAIN_0_4);
        assertThat(GoldenRun.BEST_SNAPSHOT_CHANGELOG)
                .isEqualTo(EvaluatorTopology.bestSnapshotChangelog(EvaluatorSettings.DEFAULT_APPLICATION_ID));
        List<TestMetrics> bestSoFar = new ArrayList<>();
        for (TestMetrics m : golden.metrics(TopicNames.DEFAULT_METRICS)) {
            bestSoFar.add(bestSoFar.isEmpty() ? m : EvaluatorTopology.better(bestSoFar.get(bestSoFar.size() - 1), m));
        }
        List<TestMetrics> changelog = golden.metrics(GoldenRun.BEST_SNAPSHOT_CHANGELOG);
        // Kafka Streams' cache may leave out intermediate bests; the last one is the run's best
        assertThat(bestSoFar).containsAll(changelog);
        assertThat(changelog.get(changelog.size() - 1)).isEqualTo(bestSoFar.get(bestSoFar.size() - 1));
        // by validation loss, which falls at every snapshot of this run
        assertThat(bestSoFar).extracting(TestMetrics::step).containsExactly(2L, 3L, 4L, 6L);
    }

    /** The golden's test set of the spec's dataset and, if the run has one, its stream's validation split. */
    private static MemoryEvaluationSets evaluationSets(GoldenRun golden, RunSpec spec) {
        String test = RecordKeys.testSetPrefix(spec.dataset());
        MemoryEvaluationSets sets = new MemoryEvaluationSets().test(spec.dataset(),
                new EvaluationSet(Split.TEST, TopicNames.DEFAULT_TEST_SET, test, golden.evaluationBatches(test)));
        if (spec.hasValidation()) {
            String validation = RecordKeys.validationPrefix(spec.stream());
            sets.validation(spec.stream(), new EvaluationSet(Split.VALIDATION, TopicNames.DEFAULT_TEST_SET,
                    validation, golden.evaluationBatches(validation)));
        }
        return sets;
    }

    private static TestMetrics evaluatedAt(TestMetrics m, long millis) {
        return new TestMetrics(m.runId(), m.dataset(), m.model(), m.epoch(), m.step(), m.samplesSeen(), m.epochEnd(),
                m.finalSnapshot(), m.accuracy(), m.avgLoss(), m.testSamples(), m.snapshotSha256(),
                m.snapshotCreatedAtMillis(), millis, m.trainLoss(), m.trainAccuracy(), m.test(), m.validation(),
                m.prequential());
    }
}
