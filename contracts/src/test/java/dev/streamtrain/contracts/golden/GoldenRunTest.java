package dev.streamtrain.contracts.golden;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.zoo.Mlp;
import dev.streamtrain.model.zoo.MlpOptions;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.RunRecordDeserializer;
import dev.streamtrain.contracts.wire.RunRecordSerializer;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.TestMetricsSerializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Constant;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record of every golden run still decodes, to the values it was written with, and encodes
 * again as today's writers write it: byte for byte what was written, where that is today's version.
 * The golden run written before the engine seam (commit 89bed04) and the one written by 0.4 (minibatch
 * v2, snapshot v3, a validation split, drop_last, Normalize, Adam) are each checked field by field.
 */
class GoldenRunTest {

    private static final GoldenRun RUN = GoldenRun.named(GoldenRun.PRE_ENGINE_SEAM);
    private static final GoldenRun V04 = GoldenRun.named(GoldenRun.STREAMTRAIN_0_4);

    static List<GoldenRun> goldenRuns() {
        return GoldenRun.all();
    }

    @ParameterizedTest
    @MethodSource("goldenRuns")
    void everyRecordDecodesAndEncodesAgainAsTodaysWritersWriteIt(GoldenRun golden) {
        for (GoldenRun.Record r : golden.records()) {
            String where = golden + " " + r.topic() + "-" + r.partition() + " offset " + r.offset();
            Object decoded = decode(r.topic(), r.value());
            byte[] again = encode(r.topic(), decoded);
            assertThat(decode(r.topic(), again)).as(where).isEqualTo(decoded);
            if (golden.name().equals(GoldenRun.STREAMTRAIN_0_6) || decoded instanceof Minibatch) {
                // written in today's versions; and a version 1 minibatch is written back as version 1
                assertThat(again).as(where).isEqualTo(r.value());
            } else if (decoded instanceof WeightSnapshot) {
                // a snapshot without prequential state is written as version 3 (a version 2 one with its train
                // accuracy unknown), with today's spec JSON (its members added since); from parameterCount to the
                // checksum, the bytes are the same
                WeightSnapshot s = (WeightSnapshot) decoded;
                int tail = 8 + 4 * s.parameters().length + 8 + 4 * s.updaterState().length + 32;
                assertThat(s.prequential()).as(where).isNull();
                assertThat(r.value()[4]).as(where)
                        .isEqualTo((byte) (golden.name().equals(GoldenRun.STREAMTRAIN_0_4) ? 3 : 2));
                assertThat(again[4]).as(where).isEqualTo((byte) 3);
                assertThat(again.length).as(where).isGreaterThan(r.value().length);
                assertThat(Arrays.copyOfRange(again, again.length - tail, again.length)).as(where)
                        .isEqualTo(Arrays.copyOfRange(r.value(), r.value().length - tail, r.value().length));
            } else {
                // JSON written before members were added: written back with them
                assertThat(again.length).as(where).isGreaterThan(r.value().length);
            }
        }
    }

    @Test
    void v06SnapshotsAreVersion4WithTheirPrequentialStateAndTheMetricsCarryIt() {
        GoldenRun v06 = GoldenRun.named(GoldenRun.STREAMTRAIN_0_6);
        List<WeightSnapshot> snapshots = v06.records(TopicNames.DEFAULT_SNAPSHOTS).stream()
                .peek(r -> assertThat(r.value()[4]).isEqualTo((byte) 4))
                .map(r -> new WeightSnapshotDeserializer().deserialize(r.topic(), r.value())).toList();
        List<TestMetrics> metrics = v06.records(TopicNames.DEFAULT_METRICS).stream()
                .map(r -> new TestMetricsDeserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(snapshots).extracting(WeightSnapshot::step).containsExactly(2L, 3L, 4L, 6L);
        for (int i = 0; i < snapshots.size(); i++) {
            WeightSnapshot s = snapshots.get(i);
            assertThat(s.spec().prequential()).isEqualTo(new PrequentialSpec(20, 0.9));
            // batches of 8: the window holds the last two
            assertThat(s.prequential().window()).hasSize(2).allSatisfy(b -> assertThat(b.samples()).isEqualTo(8));
            assertThat(metrics.get(i).prequential()).isEqualTo(s.prequentialMetrics());
        }
        assertThat(metrics.get(3).prequential().windowAccuracy()).isEqualTo(0.9375);
        // the run before the member: its metrics read with none
        assertThat(V04.records(TopicNames.DEFAULT_METRICS).stream()
                .map(r -> new TestMetricsDeserializer().deserialize(r.topic(), r.value()).prequential()))
                .containsOnlyNulls();
    }

    private static Object decode(String topic, byte[] value) {
        return switch (topic) {
            case TopicNames.DEFAULT_MINIBATCHES, TopicNames.DEFAULT_TEST_SET ->
                    new MinibatchDeserializer().deserialize(topic, value);
            case TopicNames.DEFAULT_SNAPSHOTS -> new WeightSnapshotDeserializer().deserialize(topic, value);
            case TopicNames.DEFAULT_METRICS, GoldenRun.BEST_SNAPSHOT_CHANGELOG ->
                    new TestMetricsDeserializer().deserialize(topic, value);
            case TopicNames.DEFAULT_RUNS -> new RunRecordDeserializer().deserialize(topic, value);
            default -> throw new AssertionError("a golden record of an unknown topic " + topic);
        };
    }

    private static byte[] encode(String topic, Object value) {
        if (value instanceof Minibatch m) {
            return new MinibatchSerializer().serialize(topic, m);
        } else if (value instanceof WeightSnapshot s) {
            return new WeightSnapshotSerializer().serialize(topic, s);
        } else if (value instanceof TestMetrics m) {
            return new TestMetricsSerializer().serialize(topic, m);
        }
        return new RunRecordSerializer().serialize(topic, (RunRecord) value);
    }

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

    /**
     * The stream of the 0.4 golden run, as docs/wire-format.md section 3.4 makes it (its stream.py gives these
     * file indexes): 40 training images, 10 carved off as the validation split, 2 shuffled epochs of the 30
     * left in batches of 8 with drop_last, so each epoch's last 6 samples are never trained on.
     */
    @Test
    void v04MinibatchesAreVersion2WithTheirSamplingAndSampleIndexes() {
        Sampling sampling = new Sampling(true, true, 42, 10);
        assertThat(V04.records(TopicNames.DEFAULT_MINIBATCHES)).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("golden-2");
            assertThat(r.value()[4]).as("version").isEqualTo((byte) 2);
        });
        List<Minibatch> train = V04.minibatches(TopicNames.DEFAULT_MINIBATCHES);
        assertThat(train).extracting(b -> b.epoch() + "/" + b.batchIndex())
                .containsExactly("1/0", "1/1", "1/2", "2/0", "2/1", "2/2");
        assertThat(train).allSatisfy(b -> {
            assertThat(b.split()).isEqualTo(Split.TRAIN);
            assertThat(b.dataset()).isEqualTo("golden-bars");
            assertThat(b.epochs()).isEqualTo(2);
            assertThat(b.batchesPerEpoch()).as("floor(30 / 8) with drop_last").isEqualTo(3);
            assertThat(b.datasetSize()).as("40 - 10 validation").isEqualTo(30);
            assertThat(b.numClasses()).isEqualTo(4);
            assertThat(b.sampleShape()).containsExactly(1, 8, 8);
            assertThat(b.sampleCount()).isEqualTo(8);
            assertThat(b.sampling()).isEqualTo(sampling);
        });
        assertThat(train).extracting(Minibatch::sampleIndexes).containsExactly(
                new int[] {25, 31, 4, 33, 16, 5, 8, 28}, new int[] {24, 30, 6, 11, 29, 7, 22, 38},
                new int[] {23, 18, 20, 39, 27, 12, 13, 14},
                new int[] {16, 5, 29, 14, 12, 4, 38, 17}, new int[] {6, 23, 30, 27, 19, 21, 13, 20},
                new int[] {0, 26, 24, 7, 18, 39, 28, 11});

        List<Minibatch> validation = V04.evaluationBatches("golden-2/validation/");
        assertThat(validation).extracting(Minibatch::sampleIndexes).containsExactly(
                new int[] {10, 32, 37, 36, 1, 2, 3, 15}, new int[] {9, 35});
        assertThat(validation).allSatisfy(b -> {
            assertThat(b.split()).isEqualTo(Split.VALIDATION);
            assertThat(b.batchesPerEpoch()).isEqualTo(2);
            assertThat(b.datasetSize()).isEqualTo(10);
            assertThat(b.sampling()).isEqualTo(sampling);
        });
        Set<Integer> validated = indexes(validation);
        assertThat(validated).hasSize(10);
        Set<Integer> epoch1 = indexes(train.subList(0, 3));
        Set<Integer> epoch2 = indexes(train.subList(3, 6));
        assertThat(epoch1).hasSize(24).doesNotContainAnyElementsOf(validated);
        assertThat(epoch2).hasSize(24).doesNotContainAnyElementsOf(validated);
        // each epoch drops 6 of the 30; file index 34 happens to be dropped by both, so it is never trained on
        Set<Integer> trained = new TreeSet<>(epoch1);
        trained.addAll(epoch2);
        assertThat(trained).hasSize(29).doesNotContain(34);

        List<Minibatch> test = V04.evaluationBatches("golden-bars/");
        assertThat(V04.records(TopicNames.DEFAULT_TEST_SET)).extracting(GoldenRun.Record::key).containsExactly(
                "golden-bars/0", "golden-bars/1", "golden-bars/2", "golden-2/validation/0", "golden-2/validation/1");
        assertThat(test).extracting(Minibatch::sampleCount).containsExactly(8, 8, 4);
        assertThat(test).allSatisfy(b -> {
            assertThat(b.split()).isEqualTo(Split.TEST);
            assertThat(b.datasetSize()).isEqualTo(20);
            assertThat(b.sampling()).isEqualTo(Sampling.IN_ORDER);
        });
        assertThat(test.get(2).sampleIndexes()).containsExactly(16, 17, 18, 19);
    }

    private static Set<Integer> indexes(List<Minibatch> batches) {
        return batches.stream().flatMapToInt(b -> IntStream.of(b.sampleIndexes())).boxed().collect(Collectors.toSet());
    }

    @Test
    void v04SnapshotsAreVersion3WithTrainAccuracyAdamStateAndTheLoaderAndTransformsInTheirSpec() {
        assertThat(V04.records(TopicNames.DEFAULT_SNAPSHOTS)).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("golden-2");
            assertThat(r.value()[4]).as("version").isEqualTo((byte) 3);
        });
        List<WeightSnapshot> snapshots = V04.snapshots();
        assertThat(snapshots).extracting(WeightSnapshot::step).containsExactly(2L, 3L, 4L, 6L);
        assertThat(snapshots).extracting(WeightSnapshot::epoch).containsExactly(1, 1, 2, 2);
        assertThat(snapshots).extracting(WeightSnapshot::samplesSeen).containsExactly(16L, 24L, 32L, 48L);
        assertThat(snapshots).extracting(WeightSnapshot::epochEnd).containsExactly(false, true, false, true);
        assertThat(snapshots).extracting(WeightSnapshot::finalSnapshot).containsExactly(false, false, false, true);
        assertThat(snapshots).extracting(WeightSnapshot::trainAccuracy).containsExactly(new EpochAccuracy(8, 16),
                new EpochAccuracy(10, 24), new EpochAccuracy(7, 8), new EpochAccuracy(22, 24));
        assertThat(snapshots).extracting(s -> s.trainLoss().batches()).containsExactly(2, 3, 1, 3);
        assertThat(snapshots).extracting(s -> s.offsets().get(0).nextOffset()).containsExactly(2L, 3L, 4L, 6L);
        assertThat(snapshots).extracting(WeightSnapshot::parametersSha256).containsExactly(
                "5ffeca3b1be94a69e0d5932f0e07acf98ad3b68c3f1f1900c828734a4ed003cb",
                "c412cc830c26358323822affc9c23e2f7f532a4173e8ab6ed5aa02466ae29b5a",
                "38f446c351a8edb3083dc7e98f79ffbb5747df76009d42ca9c489419a0da0085",
                "147a633c9cd58da65cef0177de2df9e7da958a04f9adc4a1096666ca82f4c76b");
        WeightSnapshot last = snapshots.get(3);
        assertThat(last.trainLoss().mean()).isEqualTo(0.5777117212613424);
        // mlp 64-8-4: 64*8 + 8 + 8*4 + 4 parameters; Adam keeps exp_avg and exp_avg_sq of each
        assertThat(last.parameters()).hasSize(556);
        assertThat(last.updaterState()).hasSize(2 * 556);
        assertThat(last.updaterState()).as("exp_avg_sq of the first weight").matches(u -> u[556] > 0);

        RunSpec spec = last.spec();
        assertThat(spec.dataset()).isEqualTo("golden-bars");
        assertThat(spec.model()).isEqualTo("mlp");
        assertThat(spec.modelOptions()).containsEntry("hidden", List.of(8)).containsEntry("activation", "relu");
        assertThat(spec.architecture()).isEqualTo(new Mlp().build(new MlpOptions(List.of(8), "relu", 0, false),
                Shape.of(1, 8, 8), 4));
        assertThat(spec.architecture().layout()).isEqualTo(last.layout());
        assertThat(spec.loss()).isEqualTo(RunSpec.CROSS_ENTROPY);
        assertThat(spec.optimizer()).isEqualTo(Adam.defaults().withLr(0.1));
        assertThat(spec.schedule()).isEqualTo(new Constant());
        assertThat(spec.batchSize()).isEqualTo(8);
        assertThat(spec.epochs()).isEqualTo(2);
        assertThat(spec.seed()).isEqualTo(42);
        assertThat(spec.snapshotEvery()).isEqualTo(2);
        assertThat(spec.environment().mathThreads()).isEqualTo(1);
        assertThat(spec.loader()).isEqualTo(new Sampling(true, true, 42, 10));
        assertThat(spec.hasValidation()).isTrue();
        assertThat(spec.transforms()).containsExactly(new Normalize(new double[] {0.5}, new double[] {0.5}));
    }

    @Test
    void v04MetricsNameTheirTestAndValidationSetsWithConfusionMatrices() {
        List<TestMetrics> metrics = V04.metrics(TopicNames.DEFAULT_METRICS);
        List<WeightSnapshot> snapshots = V04.snapshots();
        assertThat(metrics).extracting(TestMetrics::step).containsExactly(2L, 3L, 4L, 6L);
        assertThat(metrics).extracting(TestMetrics::snapshotSha256)
                .containsExactlyElementsOf(snapshots.stream().map(WeightSnapshot::parametersSha256).toList());
        assertThat(metrics).extracting(TestMetrics::trainAccuracy)
                .containsExactlyElementsOf(snapshots.stream().map(s -> s.trainAccuracy().mean()).toList());
        assertThat(metrics).extracting(TestMetrics::accuracy).containsExactly(0.4, 0.65, 0.65, 1.0);
        assertThat(metrics).extracting(m -> m.validation().accuracy()).containsExactly(0.1, 0.3, 0.3, 1.0);
        assertThat(metrics).allSatisfy(m -> {
            assertThat(m.test().split()).isEqualTo("test");
            assertThat(m.test().topic()).isEqualTo(TopicNames.DEFAULT_TEST_SET);
            assertThat(m.test().key()).isEqualTo("golden-bars/");
            assertThat(m.test().batchSize()).isEqualTo(8);
            assertThat(m.test().batches()).isEqualTo(3);
            assertThat(m.test().samples()).isEqualTo(20).isEqualTo(m.testSamples());
            assertThat(m.test().accuracy()).isEqualTo(m.accuracy());
            assertThat(m.test().avgLoss()).isEqualTo(m.avgLoss());
            assertThat(m.validation().split()).isEqualTo("validation");
            assertThat(m.validation().key()).isEqualTo("golden-2/validation/");
            assertThat(m.validation().batches()).isEqualTo(2);
            assertThat(m.validation().samples()).isEqualTo(10);
        });
        TestMetrics last = metrics.get(3);
        assertThat(last.avgLoss()).isEqualTo(0.6010235845749788);
        assertThat(last.trainLoss()).isEqualTo(0.5777117212613424);
        assertThat(last.validation().avgLoss()).isEqualTo(0.7903753303817599);
        assertThat(metrics.get(0).test().confusion())
                .isEqualTo(new long[][] {{0, 0, 7, 0}, {0, 0, 5, 0}, {0, 0, 5, 0}, {0, 0, 0, 3}});
        assertThat(last.test().confusion())
                .isEqualTo(new long[][] {{7, 0, 0, 0}, {0, 5, 0, 0}, {0, 0, 5, 0}, {0, 0, 0, 3}});
        // the validation split holds no sample of class 2: its accuracy is NaN
        assertThat(last.validation().confusion())
                .isEqualTo(new long[][] {{7, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}});
        assertThat(last.validation().classAccuracy()).containsExactly(1.0, 1.0, Double.NaN, 1.0);
        assertThat(new String(V04.records(TopicNames.DEFAULT_METRICS).get(3).value(), StandardCharsets.UTF_8))
                .contains("\"classAccuracy\":[1.0,1.0,\"NaN\",1.0]");

        // the best snapshot so far, by validation loss: step 2, then step 6
        assertThat(V04.metrics(GoldenRun.BEST_SNAPSHOT_CHANGELOG)).extracting(TestMetrics::step)
                .containsExactly(2L, 6L);
        assertThat(V04.metrics(GoldenRun.BEST_SNAPSHOT_CHANGELOG).get(1)).isEqualTo(last);
    }

    @Test
    void v04RunRecordsFollowTheSnapshots() {
        List<RunRecord> runs = V04.runRecords();
        assertThat(runs).extracting(RunRecord::status).containsExactly(RunStatus.RUNNING, RunStatus.RUNNING,
                RunStatus.RUNNING, RunStatus.RUNNING, RunStatus.FINISHED);
        assertThat(runs).extracting(RunRecord::nextOffset).containsExactly(-1L, 2L, 3L, 4L, 6L);
        RunRecord finished = runs.get(4);
        assertThat(finished.snapshots()).isEqualTo(4);
        assertThat(finished.snapshotPartition()).isEqualTo(0);
        assertThat(finished.snapshotOffset()).isEqualTo(6);
        assertThat(finished.snapshotSha256()).isEqualTo(V04.snapshots().get(3).parametersSha256());
        assertThat(finished.spec()).isEqualTo(V04.snapshots().get(3).spec());
        assertThat(V04.runId()).isEqualTo("golden-2");
    }
}
