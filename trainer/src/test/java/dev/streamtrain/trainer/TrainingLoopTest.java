package dev.streamtrain.trainer;

import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Interval;
import dev.streamtrain.model.schedule.StepLR;
import dev.streamtrain.producer.EpochShuffler;
import dev.streamtrain.producer.MinibatchSlicer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The training loop on its own: minibatches from a list, snapshots and run records into memory. */
class TrainingLoopTest {

    private static final String TOPIC = TopicNames.DEFAULT_MINIBATCHES;
    private static final int SAMPLES = 160;
    private static final int BATCH = 32;

    /** A stream of {@code epochs} epochs of 5 batches, at offsets 0, 1, ... */
    private static List<StreamedBatch> stream(int epochs) {
        MinibatchSlicer slicer = new MinibatchSlicer(SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN,
                SAMPLES, 4), BATCH);
        EpochShuffler shuffler = new EpochShuffler(1, true);
        List<StreamedBatch> batches = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = shuffler.order(epoch, SAMPLES);
            for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
                batches.add(new StreamedBatch(slicer.batch(epoch, epochs, b, order), TOPIC, 0, batches.size()));
            }
        }
        return batches;
    }

    /** Commits into lists, writing each snapshot at the next offset of partition 0. */
    private static final class MemorySink implements SnapshotSink {
        final List<WeightSnapshot> snapshots = new ArrayList<>();
        final List<RunRecord> records = new ArrayList<>();

        @Override
        public RunRecord commit(WeightSnapshot snapshot, TopicPartition minibatches, long nextOffset,
                                Function<RecordMetadata, RunRecord> runRecordForSnapshotAt) {
            snapshots.add(snapshot);
            RunRecord record = runRecordForSnapshotAt.apply(new RecordMetadata(new TopicPartition("snapshots", 0),
                    snapshots.size() - 1, 0, 0, 0, 0));
            records.add(record);
            return record;
        }

        @Override
        public void publish(RunRecord record) {
            records.add(record);
        }
    }

    private static MinibatchFeed feed(List<StreamedBatch> batches) {
        Deque<StreamedBatch> queue = new ArrayDeque<>(batches);
        return () -> {
            if (queue.isEmpty()) {
                throw new IllegalStateException("the test's stream has no more batches");
            }
            return queue.poll();
        };
    }

    private static TrainerSettings settings(String run, TrainingRecipe recipe, int snapshotEvery) {
        return new TrainerSettings(run, "stream", recipe, 42, snapshotEvery, 0, OptionalLong.of(0),
                TopicNames.DEFAULT, 1);
    }

    private static TrainingRecipe adamMlp() {
        return new TrainingRecipe("mlp", Models.resolveOptions("mlp", Map.of("hidden", List.of(32), "dropout", 0.3,
                "batch_norm", true)), RunSpec.CROSS_ENTROPY, Adam.defaults(), new StepLR(1, 0.5, Interval.EPOCH));
    }

    @Test
    void trainsTheStreamAndCommitsASnapshotAtEveryEpochEndAndEveryNSteps() {
        MemorySink sink = new MemorySink();
        TrainingResult result = new TrainingLoop(settings("r", adamMlp(), 3), feed(stream(2)), sink,
                new TrainingListener() { }, ResumePoint.start(), null, null).run();

        assertThat(result.steps()).isEqualTo(10);
        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(3L, 5L, 6L, 9L, 10L);
        assertThat(sink.snapshots).extracting(WeightSnapshot::epochEnd)
                .containsExactly(false, true, false, false, true);
        assertThat(sink.records).extracting(RunRecord::status).containsExactly(RunStatus.RUNNING, RunStatus.RUNNING,
                RunStatus.RUNNING, RunStatus.RUNNING, RunStatus.RUNNING, RunStatus.FINISHED);
        RunSpec spec = sink.snapshots.get(0).spec();
        assertThat(spec.recipe()).isEqualTo(adamMlp());
        assertThat(spec.architecture().inputShape().dims()).containsExactly(1, 28, 28);
        assertThat(spec.batchSize()).isEqualTo(BATCH);
        // Adam keeps two state tensors per parameter value: in every snapshot, in layout order
        WeightSnapshot last = sink.snapshots.get(4);
        assertThat(last.updaterState()).hasSize(2 * spec.architecture().parameterCount());
        assertThat(last.offsets().get(0).nextOffset()).isEqualTo(10);
    }

    @Test
    void aRunResumedFromAnyOfItsSnapshotsEndsBitForBitWhereAnUninterruptedOneEnds() {
        List<StreamedBatch> batches = stream(2);
        MemorySink uninterrupted = new MemorySink();
        new TrainingLoop(settings("r", adamMlp(), 3), feed(batches), uninterrupted, new TrainingListener() { },
                ResumePoint.start(), null, null).run();

        for (WeightSnapshot at : uninterrupted.snapshots.subList(0, 4)) {
            MemorySink resumed = new MemorySink();
            RunRecord record = uninterrupted.records.get(uninterrupted.snapshots.indexOf(at) + 1);
            new TrainingLoop(settings("r", adamMlp(), 3), feed(batches.subList((int) at.step(), batches.size())),
                    resumed, new TrainingListener() { }, ResumePoint.at(at), record,
                    TrainingStep.resume(at.spec(), at)).run();
            List<WeightSnapshot> after = uninterrupted.snapshots.stream().filter(s -> s.step() > at.step()).toList();
            assertThat(resumed.snapshots).as("resumed at step %d", at.step())
                    .extracting(s -> s.step() + " " + s.parametersSha256() + " " + WeightSnapshot.sha256(s.updaterState())
                            + " " + s.trainLoss())
                    .containsExactlyElementsOf(after.stream().map(s -> s.step() + " " + s.parametersSha256() + " "
                            + WeightSnapshot.sha256(s.updaterState()) + " " + s.trainLoss()).toList());
        }
    }

    @Test
    void aLossThatBlowsUpMarksTheRunDiverged() {
        MemorySink sink = new MemorySink();
        TrainingLoop loop = new TrainingLoop(settings("r", TrainingRecipe.tutorial(1e30).withOptimizer(Sgd.of(1e30)),
                0), feed(stream(2)), sink, new TrainingListener() { }, ResumePoint.start(), null, null);

        assertThatThrownBy(loop::run).isInstanceOf(RunDivergedException.class).hasMessageContaining("run r diverged: "
                + "loss is");
        assertThat(sink.records.get(sink.records.size() - 1).status()).isEqualTo(RunStatus.DIVERGED);
    }

    @Test
    void aModelThatDoesNotFitTheStreamStopsAtItsFirstBatch() {
        TrainingRecipe lenet = new TrainingRecipe("convnet-small", Map.of("kernelSize", 30), RunSpec.CROSS_ENTROPY,
                Sgd.of(0.1), null);
        MemorySink sink = new MemorySink();
        assertThatIllegalArgumentException().isThrownBy(() -> new TrainingLoop(settings("r", lenet, 0),
                feed(stream(1)), sink, new TrainingListener() { }, ResumePoint.start(), null, null).run())
                .withMessageStartingWith("model convnet-small does not fit samples of shape [1, 28, 28] with 10 "
                        + "classes: Conv2d(1, 8, kernel_size=30");
        assertThat(sink.records).as("nothing was recorded").isEmpty();
    }

    @Test
    void aBatchOfAnotherShapeInTheStreamIsRefusedNamingWhereItIs() {
        List<StreamedBatch> batches = new ArrayList<>(stream(1));
        Minibatch second = batches.get(1).batch();
        Minibatch wrong = new Minibatch(second.dataset(), second.split(), 1, 1, 1, second.batchesPerEpoch(),
                second.datasetSize(), second.numClasses(), new int[] {1, 14, 56}, second.pixels(), second.labels());
        batches.set(1, new StreamedBatch(wrong, TOPIC, 0, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new TrainingLoop(settings("r", TrainingRecipe.tutorial(),
                0), feed(batches), new MemorySink(), new TrainingListener() { }, ResumePoint.start(), null, null).run())
                .withMessageStartingWith("run r trains a network for samples of shape [1, 28, 28] with 10 classes, but "
                        + TOPIC + "-0 offset 1 holds Minibatch[");
    }
}
