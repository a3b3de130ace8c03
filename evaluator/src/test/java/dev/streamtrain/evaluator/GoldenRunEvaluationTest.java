package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.golden.GoldenRun;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.model.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshots of the golden run, written before the engine seam, evaluate today to exactly the
 * metrics the evaluator of that day published for them.
 */
class GoldenRunEvaluationTest {

    private static final GoldenRun RUN = GoldenRun.named(GoldenRun.PRE_ENGINE_SEAM);

    @BeforeAll
    static void oneThread() {
        Engines.get(Engines.DEFAULT).setMathThreads(1);
    }

    @Test
    void goldenSnapshotsEvaluateToTheirPublishedMetricsBitForBit() {
        List<Minibatch> test = RUN.records(TopicNames.DEFAULT_TEST_SET).stream()
                .map(r -> new MinibatchDeserializer().deserialize(r.topic(), r.value())).toList();
        List<WeightSnapshot> snapshots = RUN.records(TopicNames.DEFAULT_SNAPSHOTS).stream()
                .map(r -> new WeightSnapshotDeserializer().deserialize(r.topic(), r.value())).toList();
        List<TestMetrics> published = RUN.records(TopicNames.DEFAULT_METRICS).stream()
                .map(r -> new TestMetricsDeserializer().deserialize(r.topic(), r.value())).toList();
        String dataset = test.get(0).dataset();
        SnapshotEvaluator evaluator = new SnapshotEvaluator(new MemoryEvaluationSets().test(dataset,
                new EvaluationSet(Split.TEST, TopicNames.DEFAULT_TEST_SET, RecordKeys.testSetPrefix(dataset), test)));

        for (int i = 0; i < snapshots.size(); i++) {
            TestMetrics now = evaluator.evaluate(snapshots.get(i));
            TestMetrics then = published.get(i);
            assertThat(now.snapshotSha256()).isEqualTo(then.snapshotSha256());
            assertThat(now.accuracy()).isEqualTo(then.accuracy());
            assertThat(now.avgLoss()).isEqualTo(then.avgLoss());
            assertThat(now.trainLoss()).isEqualTo(then.trainLoss());
            assertThat(now.testSamples()).isEqualTo(then.testSamples());
            // snapshots of that day carry no train accuracy, and their run had no validation split
            assertThat(now.trainAccuracy()).isNaN();
            assertThat(now.validation()).isNull();
            assertThat(now.test().accuracy()).isEqualTo(then.accuracy());
        }
    }
}
