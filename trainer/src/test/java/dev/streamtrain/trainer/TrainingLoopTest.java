package dev.streamtrain.trainer;

import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Interval;
import dev.streamtrain.model.schedule.StepLR;
import dev.streamtrain.producer.MinibatchSlicer;
import dev.streamtrain.producer.StreamPlan;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
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
        return stream(epochs, SAMPLES, new Sampling(true, false, 1, 0));
    }

    /**
     * A stream of {@code epochs} epochs over a training file of {@code fileSize} samples, made as the
     * producer makes it with {@code sampling} ({@link StreamPlan}), at offsets 0, 1, ...
     */
    static List<StreamedBatch> stream(int epochs, int fileSize, Sampling sampling) {
        var file = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, fileSize, 4);
        StreamPlan plan = new StreamPlan(fileSize, sampling, BATCH);
        MinibatchSlicer slicer = new MinibatchSlicer(file, Split.TRAIN, plan.trainSize(), BATCH,
                plan.batchesPerEpoch(), sampling);
        List<StreamedBatch> batches = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = plan.epochOrder(epoch);
            for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
                batches.add(new StreamedBatch(slicer.batch(epoch, epochs, b, order), TOPIC, 0, batches.size()));
            }
        }
        return batches;
    }

    /** Commits into lists, writing each snapshot at the next offset of partition 0. */
    static final class MemorySink implements SnapshotSink {
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

    static MinibatchFeed feed(List<StreamedBatch> batches) {
        Deque<StreamedBatch> queue = new ArrayDeque<>(batches);
        return () -> {
            if (queue.isEmpty()) {
                throw new IllegalStateException("the test's stream has no more batches");
            }
            return queue.poll();
        };
    }

    static TrainerSettings settings(String run, TrainingRecipe recipe, int snapshotEvery) {
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

    /** Hears every batch as the loop reports it. */
    private static final class BatchRecorder implements TrainingListener {
        final List<String> batches = new ArrayList<>();
        final List<Double> accuracies = new ArrayList<>();
        final List<Integer> epochsStarted = new ArrayList<>();

        @Override
        public void onEpochStart(int epoch) {
            epochsStarted.add(epoch);
        }

        @Override
        public void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch,
                            int datasetSize, long stepNanos) {
            batches.add("epoch " + epoch + " batch " + batchIndex + " loss " + loss + " acc " + accuracy + " ["
                    + samplesInEpoch + "/" + datasetSize + "]");
            accuracies.add(accuracy);
        }
    }

    /**
     * What must be the same in a resumed run: position, weights, optimizer state, epoch loss and accuracy,
     * test-then-train state (window batches and fading sums, compared as doubles: bit for bit but NaN).
     */
    private static String fingerprint(WeightSnapshot s) {
        return "step " + s.step() + " epoch " + s.epoch() + " samples " + s.samplesSeen() + " " + s.parametersSha256()
                + " " + WeightSnapshot.sha256(s.updaterState()) + " " + s.trainLoss() + " " + s.trainAccuracy() + " "
                + s.prequential();
    }

    /**
     * Trains {@code batches} uninterrupted, then again resumed from each of its snapshots but the last,
     * and checks the resumed runs commit exactly the same snapshots and report exactly the same batches.
     */
    private static Trained resumesFromEverySnapshotAsIfUninterrupted(List<StreamedBatch> batches,
                                                                     TrainingRecipe recipe, int snapshotEvery) {
        MemorySink uninterrupted = new MemorySink();
        BatchRecorder heard = new BatchRecorder();
        new TrainingLoop(settings("r", recipe, snapshotEvery), feed(batches), uninterrupted, heard,
                ResumePoint.start(), null, null).run();
        assertThat(uninterrupted.snapshots).hasSizeGreaterThan(2);

        for (WeightSnapshot at : uninterrupted.snapshots.subList(0, uninterrupted.snapshots.size() - 1)) {
            MemorySink resumed = new MemorySink();
            BatchRecorder heardResumed = new BatchRecorder();
            RunRecord record = uninterrupted.records.get(uninterrupted.snapshots.indexOf(at) + 1);
            int next = (int) at.offsets().get(0).nextOffset();
            new TrainingLoop(settings("r", recipe, snapshotEvery),
                    feed(batches.subList(next, batches.size())), resumed, heardResumed,
                    ResumePoint.at(at, record.skippedBefore(next)), record, TrainingStep.resume(at.spec(), at, 1))
                    .run();
            List<WeightSnapshot> after = uninterrupted.snapshots.stream().filter(s -> s.step() > at.step()).toList();
            assertThat(resumed.snapshots).as("resumed at step %d", at.step())
                    .extracting(TrainingLoopTest::fingerprint)
                    .containsExactlyElementsOf(after.stream().map(TrainingLoopTest::fingerprint).toList());
            assertThat(heardResumed.batches).as("batches heard resumed at step %d", at.step())
                    .isEqualTo(heard.batches.subList((int) at.step(), heard.batches.size()));
        }
        return new Trained(uninterrupted, heard);
    }

    /** An uninterrupted run: what it committed and what it reported. */
    private record Trained(MemorySink sink, BatchRecorder heard) {
    }

    /** {@code batches} batches of an open stream (epochs 0, 5 batches an epoch), at offsets 0, 1, ... */
    private static List<StreamedBatch> openStream(int batches) {
        Sampling sampling = new Sampling(true, false, 1, 0);
        var file = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, SAMPLES, 4);
        StreamPlan plan = new StreamPlan(SAMPLES, sampling, BATCH);
        MinibatchSlicer slicer = new MinibatchSlicer(file, Split.TRAIN, plan.trainSize(), BATCH,
                plan.batchesPerEpoch(), sampling);
        List<StreamedBatch> stream = new ArrayList<>();
        for (int epoch = 1; stream.size() < batches; epoch++) {
            int[] order = plan.epochOrder(epoch);
            for (int b = 0; b < slicer.batchesPerEpoch() && stream.size() < batches; b++) {
                stream.add(new StreamedBatch(slicer.batch(epoch, Minibatch.OPEN, b, order), TOPIC, 0, stream.size()));
            }
        }
        return stream;
    }

    /**
     * A stream that has nothing more to give after {@code batches}, as an open one that pauses: {@code poll}
     * gives null; the first empty poll runs {@code whenIdle} (a test's clock or stop request), the second asks
     * the loop to stop.
     */
    private static final class PausingFeed implements MinibatchFeed {
        final Deque<StreamedBatch> queue;
        final Runnable whenIdle;
        boolean stop;
        int idlePolls;

        PausingFeed(List<StreamedBatch> batches, Runnable whenIdle) {
            this.queue = new ArrayDeque<>(batches);
            this.whenIdle = whenIdle;
        }

        @Override
        public StreamedBatch next() {
            throw new AssertionError("the loop polls");
        }

        @Override
        public StreamedBatch poll(Duration timeout) {
            if (!queue.isEmpty()) {
                return queue.poll();
            }
            if (idlePolls++ == 0) {
                whenIdle.run();
            } else {
                stop = true;
            }
            return null;
        }
    }

    @Test
    void aRunOnAnOpenStreamNeverFinishesAndStopsOnRequestWithASnapshotOfWhereItStands() {
        MemorySink sink = new MemorySink();
        PausingFeed feed = new PausingFeed(openStream(12), () -> { });
        TrainingResult result = new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 3), feed, sink,
                new TrainingListener() { }, ResumePoint.start(), null, null, () -> feed.stop).run();

        assertThat(result.stopped()).isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(result.steps()).isEqualTo(12);
        assertThat(result.epochs()).as("the epoch it stopped in").isEqualTo(3);
        // every epoch end and every 3 steps, then where it stopped: step 12, mid-epoch, not final
        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(3L, 5L, 6L, 9L, 10L, 12L);
        assertThat(sink.snapshots).noneMatch(WeightSnapshot::finalSnapshot);
        assertThat(sink.snapshots.get(5).epochEnd()).isFalse();
        assertThat(sink.snapshots.get(5).offsets().get(0).nextOffset()).isEqualTo(12);
        assertThat(sink.snapshots.get(0).spec().epochs()).isEqualTo(RunSpec.OPEN);
        assertThat(sink.snapshots.get(0).spec().isOpen()).isTrue();
        assertThat(sink.records).extracting(RunRecord::status).containsOnly(RunStatus.RUNNING);
        assertThat(sink.records.get(sink.records.size() - 1).nextOffset()).isEqualTo(12);

        // restarted from where it stopped, it trains on as if it never had: the same weights at step 15
        MemorySink uninterrupted = new MemorySink();
        PausingFeed all = new PausingFeed(openStream(15), () -> { });
        new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 3), all, uninterrupted,
                new TrainingListener() { }, ResumePoint.start(), null, null, () -> all.stop).run();
        WeightSnapshot at = sink.snapshots.get(5);
        RunRecord record = sink.records.get(sink.records.size() - 1);
        MemorySink resumed = new MemorySink();
        PausingFeed rest = new PausingFeed(openStream(15).subList(12, 15), () -> { });
        new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 3), rest, resumed, new TrainingListener() { },
                ResumePoint.at(at, 0), record, TrainingStep.resume(at.spec(), at, 1), () -> rest.stop).run();
        assertThat(resumed.snapshots).extracting(TrainingLoopTest::fingerprint).containsExactly(
                fingerprint(uninterrupted.snapshots.get(uninterrupted.snapshots.size() - 1)));
        assertThat(resumed.snapshots.get(0).step()).isEqualTo(15);
    }

    @Test
    void epochsBoundARunOnAnOpenStream() {
        MemorySink sink = new MemorySink();
        TrainerSettings twoEpochs = new TrainerSettings("r", "stream", TrainingRecipe.tutorial(0.05), 42, 0, 2,
                OptionalLong.of(0), TopicNames.DEFAULT, 1);
        TrainingResult result = new TrainingLoop(twoEpochs, feed(openStream(12)), sink, new TrainingListener() { },
                ResumePoint.start(), null, null).run();

        assertThat(result.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(5L, 10L);
        assertThat(sink.snapshots.get(1).finalSnapshot()).isTrue();
        assertThat(sink.snapshots.get(0).spec().epochs()).isEqualTo(2);
        assertThat(sink.records.get(sink.records.size() - 1).status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void stoppingBeforeAnyMinibatchRecordsNothingAndStoppingRightAfterASnapshotAddsNone() {
        MemorySink nothing = new MemorySink();
        TrainingResult none = new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 0), feed(List.of()),
                nothing, new TrainingListener() { }, ResumePoint.start(), null, null, () -> true).run();
        assertThat(none.stopped()).isTrue();
        assertThat(nothing.records).isEmpty();

        MemorySink sink = new MemorySink();
        PausingFeed feed = new PausingFeed(openStream(6), () -> { });
        new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 3), feed, sink, new TrainingListener() { },
                ResumePoint.start(), null, null, () -> feed.stop).run();
        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(3L, 5L, 6L);
    }

    @Test
    void aSnapshotIntervalSnapshotsAtTheFirstStepAfterItAndWhileWaitingIfTrainedSince() {
        long[] now = {0};
        long minute = Duration.ofMinutes(1).toNanos();
        List<StreamedBatch> batches = openStream(4);
        MemorySink sink = new MemorySink();
        // the clock moves a minute on while batch 1 is read, and again while the stream pauses after batch 3
        PausingFeed pausing = new PausingFeed(batches, () -> now[0] += minute);
        MinibatchFeed clocked = new MinibatchFeed() {
            @Override
            public StreamedBatch next() {
                throw new AssertionError("the loop polls");
            }

            @Override
            public StreamedBatch poll(Duration timeout) {
                StreamedBatch batch = pausing.poll(timeout);
                if (batch != null && batch.offset() == 1) {
                    now[0] += minute;
                }
                return batch;
            }
        };
        TrainingResult result = new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 0)
                .withSnapshotInterval(Duration.ofMinutes(1)), clocked, sink, new TrainingListener() { },
                ResumePoint.start(), null, null, () -> pausing.stop).timedBy(() -> now[0]).run();

        // step 2 is the first after a minute; step 4 was trained when the stream paused and the next minute passed
        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(2L, 4L);
        assertThat(sink.snapshots.get(1).offsets().get(0).nextOffset()).isEqualTo(4);
        assertThat(result.steps()).isEqualTo(4);
        assertThat(sink.records).extracting(RunRecord::status).containsOnly(RunStatus.RUNNING);
    }

    @Test
    void aReplaySnapshotsAtTheOriginalsStepsAndStopsWhereTheOriginalStopped() {
        MemorySink sink = new MemorySink();
        TrainerSettings replaying = settings("r", TrainingRecipe.tutorial(0.05), 0)
                .reproducing(new Reproduction(new TreeSet<>(List.of(4L, 5L, 7L, 8L)), 8));
        TrainingResult result = new TrainingLoop(replaying, feed(stream(2)), sink, new TrainingListener() { },
                ResumePoint.start(), null, null).run();

        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(4L, 5L, 7L, 8L);
        assertThat(result.stopped()).isTrue();
        assertThat(result.steps()).isEqualTo(8);
        assertThat(sink.records.get(sink.records.size() - 1).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aRunResumedFromAnyOfItsSnapshotsEndsBitForBitWhereAnUninterruptedOneEnds() {
        MemorySink run = resumesFromEverySnapshotAsIfUninterrupted(stream(2), adamMlp(), 3).sink();
        assertThat(run.snapshots).extracting(WeightSnapshot::step).containsExactly(3L, 5L, 6L, 9L, 10L);
        assertThat(run.snapshots).extracting(s -> s.trainAccuracy().samples())
                .containsExactly(96L, 160L, 32L, 128L, 160L);
    }

    @Test
    void eachSnapshotCountsTheEpochsSamplesItsForwardPassesClassifiedCorrectly() {
        List<StreamedBatch> batches = stream(2);
        MemorySink sink = new MemorySink();
        BatchRecorder heard = new BatchRecorder();
        new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 2), feed(batches), sink, heard,
                ResumePoint.start(), null, null).run();

        // A network trained alongside on the same batches: its eval-mode predictions before each step are what
        // the run's training-mode forward pass saw (no dropout, no batch norm in the tutorial's network).
        TrainingStep shadow = TrainingStep.start(sink.snapshots.get(0).spec(), 1);
        long[] correct = new long[batches.size()];
        for (int i = 0; i < batches.size(); i++) {
            Minibatch batch = batches.get(i).batch();
            TensorBatch tensors = ToTensor.apply(batch);
            float[] p = shadow.network().predict(tensors);
            for (int n = 0; n < tensors.size(); n++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = p[n * 10 + c] > p[n * 10 + best] ? c : best;
                }
                correct[i] += best == tensors.labels()[n] ? 1 : 0;
            }
            shadow.apply(tensors, batch.epoch(), i);
            assertThat(heard.accuracies.get(i)).as("batch %d", i).isEqualTo((double) correct[i] / BATCH);
        }
        assertThat(shadow.parameters()).isEqualTo(sink.snapshots.get(sink.snapshots.size() - 1).parameters());
        assertThat(correct).as("the network learns: more right in epoch 2 than at its first batch")
                .matches(c -> c[9] > c[0]);
        for (WeightSnapshot s : sink.snapshots) {
            int epochStart = (s.epoch() - 1) * 5;
            long right = 0;
            for (int i = epochStart; i < s.step(); i++) {
                right += correct[i];
            }
            assertThat(s.trainAccuracy()).as("snapshot at step %d", s.step())
                    .isEqualTo(new EpochAccuracy(right, (s.step() - epochStart) * BATCH));
        }
        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(2L, 4L, 5L, 6L, 8L, 10L);
    }

    @Test
    void aDropLastStreamWithAValidationSplitResumesWhereItStopped() {
        // 200 samples, 30 of them the validation split: 170 to train, 5 batches of 32 an epoch, 10 dropped
        Sampling loader = new Sampling(true, true, 3, 30);
        List<StreamedBatch> batches = stream(2, 200, loader);
        assertThat(batches).hasSize(10).allSatisfy(b -> assertThat(b.batch().sampleCount()).isEqualTo(BATCH));

        Trained trained = resumesFromEverySnapshotAsIfUninterrupted(batches, TrainingRecipe.tutorial(0.05), 3);
        MemorySink run = trained.sink();

        assertThat(run.snapshots).extracting(WeightSnapshot::step).containsExactly(3L, 5L, 6L, 9L, 10L);
        assertThat(run.snapshots).extracting(WeightSnapshot::samplesSeen).containsExactly(96L, 160L, 192L, 288L, 320L);
        assertThat(run.snapshots.get(0).spec().loader()).isEqualTo(loader);
        assertThat(run.snapshots.get(0).spec().hasValidation()).isTrue();
        // len(dataloader.dataset) is the training subset; each epoch trains its full batches only
        assertThat(trained.heard().batches.get(4)).endsWith("[160/170]");
        assertThat(trained.heard().batches.get(5)).endsWith("[32/170]");
    }

    @Test
    void aNormalizedRunTrainsOnTheNormalizedBatchesAndResumes() {
        TrainingRecipe plain = TrainingRecipe.tutorial(0.05);
        List<TensorTransform> normalize = List.of(new Normalize(new double[] {0.5}, new double[] {0.5}));
        TrainingRecipe normalized = new TrainingRecipe(plain.model(), plain.modelOptions(), plain.loss(),
                plain.optimizer(), plain.schedule(), normalize);
        List<StreamedBatch> batches = stream(2);

        Trained normalizedRun = resumesFromEverySnapshotAsIfUninterrupted(batches, normalized, 3);
        MemorySink withNormalize = normalizedRun.sink();
        MemorySink without = new MemorySink();
        BatchRecorder heardWithout = new BatchRecorder();
        new TrainingLoop(settings("r", plain, 3), feed(batches), without, heardWithout, ResumePoint.start(), null,
                null).run();

        WeightSnapshot last = withNormalize.snapshots.get(withNormalize.snapshots.size() - 1);
        assertThat(last.spec().transforms()).isEqualTo(normalize);
        assertThat(last.spec().recipe()).isEqualTo(normalized);
        assertThat(last.parametersSha256())
                .isNotEqualTo(without.snapshots.get(without.snapshots.size() - 1).parametersSha256());
        // the first step, by hand: the batch normalized as torchvision does, then one plain step
        TrainingStep byHand = TrainingStep.start(last.spec(), 1);
        Minibatch first = batches.get(0).batch();
        float[] features = new float[first.pixels().length];
        for (int i = 0; i < features.length; i++) {
            features[i] = ((first.pixels()[i] & 0xFF) / 255f - 0.5f) / 0.5f;
        }
        int[] labels = new int[first.sampleCount()];
        Arrays.setAll(labels, first::label);
        double loss = byHand.apply(new TensorBatch(features, labels, Shape.of(first.sampleShape()), 10), 1, 0);
        assertThat(normalizedRun.heard().batches.get(0)).startsWith("epoch 1 batch 0 loss " + loss + " acc ");
        assertThat(heardWithout.batches.get(0)).doesNotStartWith("epoch 1 batch 0 loss " + loss + " acc ");
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

    /**
     * The loss of a step is computed before its update: an update that blows the weights up shows
     * only in the weights. A snapshot after it would hold infinities; none is published.
     */
    @Test
    void anUpdateThatBlowsUpTheWeightsAfterAFiniteLossMarksTheRunDivergedAndPublishesNoSnapshot() {
        MemorySink sink = new MemorySink();
        List<String> losses = new ArrayList<>();
        TrainingLoop loop = new TrainingLoop(settings("r", TrainingRecipe.tutorial(1e39).withOptimizer(Sgd.of(1e39)),
                1), feed(stream(1)), sink, new TrainingListener() {
                    @Override
                    public void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch,
                                        int datasetSize, long stepNanos) {
                        losses.add(String.valueOf(loss));
                    }
                }, ResumePoint.start(), null, null);

        assertThatThrownBy(loop::run).isInstanceOf(RunDivergedException.class)
                .hasMessageMatching("run r diverged: parameter 0_W\\[\\d+\\] is "
                        + "(-?Infinity|NaN) after step 1 \\(epoch 1 batch 0\\)");
        assertThat(losses).as("the first step's loss was finite").hasSize(1);
        assertThat(Double.parseDouble(losses.get(0))).isFinite();
        assertThat(sink.snapshots).isEmpty();
        assertThat(sink.records.get(sink.records.size() - 1).status()).isEqualTo(RunStatus.DIVERGED);
    }

    /** {@code batches} with the records at {@code offsets} skipped, as the source hands on undecodable ones. */
    private static List<StreamedBatch> skipping(List<StreamedBatch> batches, int... offsets) {
        List<StreamedBatch> skipped = new ArrayList<>(batches);
        for (int offset : offsets) {
            skipped.set(offset, StreamedBatch.skipped(TOPIC, 0, offset, "bad magic"));
        }
        return skipped;
    }

    /** The network trained step by step on {@code batches} but those at {@code skipped}: what a skipping run must reach. */
    private static float[] trainedWithout(List<StreamedBatch> batches, RunSpec spec, int... skipped) {
        TrainingStep shadow = TrainingStep.start(spec, 1);
        long steps = 0;
        for (int i = 0; i < batches.size(); i++) {
            final int offset = i;
            if (Arrays.stream(skipped).noneMatch(o -> o == offset)) {
                Minibatch batch = batches.get(i).batch();
                shadow.apply(ToTensor.apply(batch), batch.epoch(), steps++);
            }
        }
        return shadow.parameters();
    }

    @Test
    void aSkippedRecordTakesThePlaceOfTheBatchDueAndAnEpochWhoseLastBatchWasSkippedEndsWithIt() {
        List<StreamedBatch> clean = stream(2); // 5 batches an epoch, offsets 0..9
        List<StreamedBatch> batches = skipping(clean, 2, 4);
        MemorySink sink = new MemorySink();
        BatchRecorder heard = new BatchRecorder();
        TrainingResult result = new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 0), feed(batches), sink,
                heard, ResumePoint.start(), null, null).run();

        assertThat(result.steps()).isEqualTo(8);
        assertThat(heard.epochsStarted).containsExactly(1, 2);
        assertThat(heard.batches).extracting(b -> b.substring(0, b.indexOf(" loss")))
                .containsExactly("epoch 1 batch 0", "epoch 1 batch 1", "epoch 1 batch 3", "epoch 2 batch 0",
                        "epoch 2 batch 1", "epoch 2 batch 2", "epoch 2 batch 3", "epoch 2 batch 4");
        // epoch 1's last batch was skipped: epoch 1 ends there, its snapshot past the skipped record
        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(3L, 8L);
        WeightSnapshot epoch1 = sink.snapshots.get(0);
        assertThat(epoch1.epochEnd()).isTrue();
        assertThat(epoch1.finalSnapshot()).isFalse();
        assertThat(epoch1.offsets().get(0).nextOffset()).isEqualTo(5);
        assertThat(epoch1.trainAccuracy().samples()).isEqualTo(3L * BATCH);
        assertThat(sink.snapshots.get(1).trainAccuracy().samples()).as("epoch 2 counts afresh").isEqualTo(5L * BATCH);
        RunRecord last = sink.records.get(sink.records.size() - 1);
        assertThat(last.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(last.skippedOffsets()).containsExactly(2L, 4L);
        assertThat(last.firstOffset()).isZero();
        assertThat(sink.snapshots.get(1).parameters())
                .isEqualTo(trainedWithout(clean, sink.snapshots.get(1).spec(), 2, 4));
    }

    @Test
    void aRunThatSkippedRecordsResumesFromAnyOfItsSnapshotsAsIfUninterrupted() {
        MemorySink run = resumesFromEverySnapshotAsIfUninterrupted(skipping(stream(3), 0, 4, 7), adamMlp(), 2).sink();
        assertThat(run.snapshots).extracting(WeightSnapshot::step).containsExactly(2L, 3L, 4L, 6L, 7L, 8L, 10L, 12L);
        assertThat(run.records.get(run.records.size() - 1).skippedOffsets()).containsExactly(0L, 4L, 7L);
    }

    @Test
    void aRunWhoseFirstRecordIsSkippedStartsAtItAndOneWhoseLastIsSkippedFinishesAtIt() {
        MemorySink sink = new MemorySink();
        TrainingResult result = new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 0),
                feed(skipping(stream(1), 0, 4)), sink, new TrainingListener() { }, ResumePoint.start(), null, null)
                .run();

        assertThat(result.steps()).isEqualTo(3);
        RunRecord first = sink.records.get(0);
        assertThat(first.firstOffset()).as("the stream starts at its first record, skipped or not").isZero();
        assertThat(first.skippedOffsets()).containsExactly(0L);
        WeightSnapshot last = sink.snapshots.get(sink.snapshots.size() - 1);
        assertThat(last.finalSnapshot()).isTrue();
        assertThat(last.offsets().get(0).nextOffset()).isEqualTo(5);
        assertThat(sink.records.get(sink.records.size() - 1).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(result.finalSha256()).isEqualTo(last.parametersSha256());
    }

    @Test
    void aSkippedLastBatchRightAfterASnapshotFinishesTheRunWithoutASecondSnapshotOfTheSameStep() {
        MemorySink sink = new MemorySink();
        TrainingResult result = new TrainingLoop(settings("r", TrainingRecipe.tutorial(0.05), 4),
                feed(skipping(stream(1), 4)), sink, new TrainingListener() { }, ResumePoint.start(), null, null).run();

        assertThat(sink.snapshots).extracting(WeightSnapshot::step).containsExactly(4L);
        RunRecord last = sink.records.get(sink.records.size() - 1);
        assertThat(last.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(last.skippedOffsets()).containsExactly(4L);
        assertThat(result.finalSha256()).isEqualTo(sink.snapshots.get(0).parametersSha256());
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

    @Test
    void aBatchOfAnotherSplitInTheStreamIsRefused() {
        for (int at : new int[] {0, 1}) {
            List<StreamedBatch> batches = new ArrayList<>(stream(1));
            Minibatch train = batches.get(at).batch();
            Minibatch validation = new Minibatch(train.dataset(), Split.VALIDATION, 1, 1, at, train.batchesPerEpoch(),
                    train.datasetSize(), train.numClasses(), train.sampleShape(), train.pixels(), train.labels(),
                    train.sampling(), train.sampleIndexes());
            batches.set(at, new StreamedBatch(validation, TOPIC, 0, at));
            MemorySink sink = new MemorySink();
            assertThatIllegalArgumentException().isThrownBy(() -> new TrainingLoop(settings("r",
                            TrainingRecipe.tutorial(), 0), feed(batches), sink, new TrainingListener() { },
                            ResumePoint.start(), null, null).run())
                    .withMessageStartingWith(TOPIC + "-0 offset " + at + " holds a validation batch, not a training "
                            + "batch: Minibatch[");
            assertThat(sink.snapshots).isEmpty();
            if (at == 0) {
                assertThat(sink.records).as("a stream that starts with another split starts no run").isEmpty();
            }
        }
    }
}
