package dev.streamtrain.contracts.golden;

import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.RunRecordDeserializer;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Constant;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record of the golden run written before the engine seam (commit 89bed04) still decodes, to
 * the values it was written with.
 */
class GoldenRunTest {

    private static final GoldenRun RUN = GoldenRun.named(GoldenRun.PRE_ENGINE_SEAM);

    @Test
    void minibatchesAndTestBatchesDecode() {
        List<Minibatch> train = RUN.records(TopicNames.DEFAULT_MINIBATCHES).stream()
                .map(r -> new MinibatchDeserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(train).extracting(Minibatch::batchIndex).containsExactly(0, 1, 2, 3);
        assertThat(train).allSatisfy(b -> {
            assertThat(b.split()).isEqualTo(Split.TRAIN);
            assertThat(b.sampleCount()).isEqualTo(16);
            assertThat(b.sampleShape()).containsExactly(1, 28, 28);
        });
        assertThat(RUN.records(TopicNames.DEFAULT_TEST_SET)).extracting(GoldenRun.Record::key)
                .containsExactly("fashion-mnist/0", "fashion-mnist/1");
    }

    @Test
    void snapshotsDecodeWithTheirSpecLossAndChecksum() {
        List<WeightSnapshot> snapshots = RUN.records(TopicNames.DEFAULT_SNAPSHOTS).stream()
                .map(r -> new WeightSnapshotDeserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(snapshots).extracting(WeightSnapshot::step).containsExactly(3L, 4L);
        assertThat(snapshots).extracting(WeightSnapshot::parametersSha256).containsExactly(
                "4f838a3f96838f1d7100dbbf2550dd64d85c0cf8c6bbd1bd0fcae24c10179f24",
                "4166eeeadfdc1cf2a4fc0f031e871e4aced251af51431cccae4e509fb715a459");
        WeightSnapshot last = snapshots.get(1);
        assertThat(last.finalSnapshot()).isTrue();
        assertThat(last.parameters()).hasSize(669_706);
        assertThat(last.updaterState()).isEmpty();
        assertThat(last.trainLoss().batches()).isEqualTo(4);
        assertThat(last.trainLoss().mean()).isEqualTo(2.299978256225586);
        RunSpec spec = last.spec();
        assertThat(spec.model()).isEqualTo("tutorial-mlp");
        assertThat(spec.loss()).isEqualTo("cross-entropy");
        // written before other optimizers, schedules, model options, architectures and engines existed:
        // plain SGD, no schedule, the tutorial's network, DL4J
        assertThat(spec.optimizer()).isEqualTo(Sgd.of(0.001));
        assertThat(spec.schedule()).isEqualTo(new Constant());
        assertThat(spec.modelOptions()).isEmpty();
        assertThat(spec.architecture()).isEqualTo(TutorialMlp.architecture());
        assertThat(spec.architecture().layout()).isEqualTo(last.layout());
        assertThat(spec.engine()).isEqualTo("dl4j");
        assertThat(spec.batchSize()).isEqualTo(16);
        assertThat(spec.seed()).isEqualTo(42);
        assertThat(spec.snapshotEvery()).isEqualTo(3);
    }

    @Test
    void metricsAndRunRecordsDecode() {
        List<TestMetrics> metrics = RUN.records(TopicNames.DEFAULT_METRICS).stream()
                .map(r -> new TestMetricsDeserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(metrics).extracting(TestMetrics::step).containsExactly(3L, 4L);
        assertThat(metrics.get(1).avgLoss()).isEqualTo(2.306740473728831);
        assertThat(metrics.get(1).accuracy()).isEqualTo(0.09375);
        assertThat(metrics.get(1).trainLoss()).isEqualTo(2.299978256225586);

        List<RunRecord> runs = RUN.records(TopicNames.DEFAULT_RUNS).stream()
                .map(r -> new RunRecordDeserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(runs).extracting(RunRecord::status)
                .containsExactly(RunStatus.RUNNING, RunStatus.RUNNING, RunStatus.FINISHED);
        RunRecord finished = runs.get(2);
        assertThat(finished.snapshotPartition()).isEqualTo(1);
        assertThat(finished.snapshotOffset()).isEqualTo(2);
        assertThat(finished.nextOffset()).isEqualTo(4);
        assertThat(finished.snapshotSha256()).isEqualTo(metrics.get(1).snapshotSha256());
    }
}
