package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.wire.ConsumedOffset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.TensorLayout;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.loss.Losses;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The tutorial's {@code train_loop} over a run's stream, from a resume point to the run's end:
 * for each minibatch, check it is the one that must come next, train on it, and at every epoch end
 * (and every {@code snapshotEvery} steps) commit a snapshot with the run's record. A new run's
 * spec is made from its first minibatch (dataset, batch size, the model built for its sample
 * shape). Reads from a {@link MinibatchFeed} and writes to a {@link SnapshotSink}, so it runs
 * without a broker in tests.
 *
 * <p>A run on an open stream has no end: it snapshots at its epoch ends, every {@code snapshotEvery}
 * steps and every {@code snapshotInterval} (while waiting for minibatches too), until it is asked
 * to stop. It then stops between two steps, commits a snapshot of where it stands if it has
 * trained since the last one, and returns with the run still {@code RUNNING}: a restart resumes
 * it there. A replay also snapshots at the original's snapshot steps, and stops where the original
 * stopped in the stream.
 */
final class TrainingLoop {

    private static final Logger log = LoggerFactory.getLogger(TrainingLoop.class);
    /** How long the loop waits for a minibatch before it looks at the stop request and the snapshot interval. */
    private static final Duration POLL_SLICE = Duration.ofMillis(200);

    private final TrainerSettings settings;
    private final MinibatchFeed feed;
    private final SnapshotSink sink;
    private final TrainingListener listener;
    private final ResumePoint point;
    private RunRecord record;
    private TrainingStep step;
    /** Batches an epoch of the stream, once a batch of it has been read (0 before). */
    private int batchesPerEpoch;
    /** Records skipped before the run had a record, and the offset of the first record of the stream read. */
    private final List<Long> pendingSkips = new ArrayList<>();
    private long firstRecordOffset = Long.MAX_VALUE;
    private final BooleanSupplier stopRequested;
    /** The clock of {@code --snapshot-interval}: {@link System#nanoTime()}, or a test's. */
    private LongSupplier nanoTime = System::nanoTime;
    /** When the last snapshot was committed (or the loop started), by {@link System#nanoTime()}. */
    private long lastSnapshotNanos;
    /** Where the stream stands after the last record trained or skipped: its topic-partition and next offset. */
    private String lastTopic;
    private int lastPartition;
    private long lastNextOffset = -1;

    /**
     * @param record the run's record, or null for a new run
     * @param step   the run's network at {@code point}, or null for a new run
     */
    TrainingLoop(TrainerSettings settings, MinibatchFeed feed, SnapshotSink sink, TrainingListener listener,
                 ResumePoint point, RunRecord record, TrainingStep step) {
        this(settings, feed, sink, listener, point, record, step, () -> false);
    }

    /**
     * @param stopRequested asked between steps (and while waiting for minibatches): true stops the loop, which
     *                      snapshots where it stands and returns with the run still running
     */
    TrainingLoop(TrainerSettings settings, MinibatchFeed feed, SnapshotSink sink, TrainingListener listener,
                 ResumePoint point, RunRecord record, TrainingStep step, BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        this.settings = settings;
        this.feed = feed;
        this.sink = sink;
        this.listener = listener;
        this.point = point;
        this.record = record;
        this.step = step;
        if (record != null) {
            point.measure(record.spec().prequential()); // a resumed point measures already
        }
    }

    /** This loop, timing {@code --snapshot-interval} by {@code clock} (nanoseconds), for tests. */
    TrainingLoop timedBy(LongSupplier clock) {
        this.nanoTime = clock;
        return this;
    }

    TrainingResult run() {
        double loss = Double.NaN;
        lastSnapshotNanos = nanoTime.getAsLong();
        while (true) {
            if (stopRequested.getAsBoolean()) {
                return stop("on request", loss);
            }
            StreamedBatch streamed = feed.poll(POLL_SLICE);
            if (streamed == null) {
                if (intervalPassed() && hasUnsnapshottedSteps()) {
                    commitSnapshot(point.epoch(), false, false, lastTopic, lastPartition, lastNextOffset,
                            "step " + point.steps + " (--snapshot-interval, while waiting for minibatches)");
                }
                continue;
            }
            if (streamed.isSkipped()) {
                boolean ended = skip(streamed);
                passed(streamed);
                if (ended) {
                    return finished(loss);
                }
                if (reachedReplayEnd()) {
                    return stop("where the replayed run stopped", loss);
                }
                continue;
            }
            Minibatch batch = streamed.batch();
            String where = streamed.where();
            batchesPerEpoch = batch.batchesPerEpoch();
            point.requireNext(batch, where);
            requireTrainingSplit(batch, where); // before a run is started from it
            if (record == null) {
                start(streamed);
            }
            requireFits(batch, where);
            if (point.leavesEpochUnended(batch)) {
                // the epoch's last batch was skipped where its place was not yet known: the epoch ends here
                point.endEpoch();
                endEpochWithoutItsLastBatch(point.epoch(), false, streamed.topic(), streamed.partition(),
                        streamed.offset(), "before epoch " + batch.epoch());
            }
            if (point.epoch() != batch.epoch()) {
                listener.onEpochStart(batch.epoch());
            }
            long started = System.nanoTime();
            loss = step().apply(streamed.tensors(record.spec().transforms()), batch.epoch(), point.steps);
            long stepNanos = System.nanoTime() - started;
            int correct = step.lastCorrect();
            point.advance(batch, loss, correct);
            if (!Double.isFinite(loss)) {
                diverged("loss is " + loss + " at epoch " + batch.epoch() + " batch " + batch.batchIndex());
            }
            listener.onBatch(batch.epoch(), batch.batchIndex(), loss, (double) correct / batch.sampleCount(),
                    point.samplesInEpoch, batch.datasetSize(), stepNanos);
            listener.onPrequential(point.prequential().metrics());
            passed(streamed);
            boolean epochEnd = batch.endsEpoch();
            boolean last = epochEnd && batch.epoch() == record.spec().epochs();
            if (epochEnd || snapshotDueAt(point.steps) || intervalPassed()) {
                commitSnapshot(batch.epoch(), epochEnd, last, streamed.topic(), streamed.partition(),
                        streamed.offset() + 1, "epoch " + batch.epoch() + " batch " + batch.batchIndex());
                if (last) {
                    return finished(loss);
                }
            }
            if (reachedReplayEnd()) {
                return stop("where the replayed run stopped", loss);
            }
        }
    }

    /** Notes that the stream has been read up to and including {@code streamed}. */
    private void passed(StreamedBatch streamed) {
        lastTopic = streamed.topic();
        lastPartition = streamed.partition();
        lastNextOffset = streamed.offset() + 1;
    }

    /** Whether a snapshot is due at {@code steps} by {@code --snapshot-every}, or where the replayed run took one. */
    private boolean snapshotDueAt(long steps) {
        return (settings.snapshotEvery() > 0 && steps % settings.snapshotEvery() == 0)
                || (settings.reproducing() != null && settings.reproducing().snapshotsAt(steps));
    }

    /** Whether {@code --snapshot-interval} has passed since the last snapshot. */
    private boolean intervalPassed() {
        return settings.snapshotInterval() != null
                && nanoTime.getAsLong() - lastSnapshotNanos >= settings.snapshotInterval().toNanos();
    }

    /** Whether the network has been trained since the run's last snapshot. */
    private boolean hasUnsnapshottedSteps() {
        return record != null && point.steps > 0 && (!record.hasSnapshot() || record.step() != point.steps);
    }

    /** Whether a replay has read its stream up to where the original run stopped. */
    private boolean reachedReplayEnd() {
        return settings.reproducing() != null && lastNextOffset >= 0
                && settings.reproducing().reached(lastNextOffset);
    }

    /**
     * Stops the run between two steps, {@code why}: commits a snapshot of where it stands if it has
     * trained since the last one (mid-epoch, not final), and leaves it {@code RUNNING}.
     */
    private TrainingResult stop(String why, double loss) {
        if (hasUnsnapshottedSteps()) {
            commitSnapshot(point.epoch(), false, false, lastTopic, lastPartition, lastNextOffset,
                    "step " + point.steps + " (stopped " + why + ")");
        }
        if (record == null) {
            log.info("run {}: stopped {} before its first minibatch", settings.runId(), why);
            return new TrainingResult(settings.runId(), 0, 0, 0, 0, "", loss, RunStatus.RUNNING);
        }
        log.info("run {}: stopped {} at step {} (epoch {}), offset {}; the run goes on from there when its trainer is "
                + "started again", record.runId(), why, point.steps, point.epoch(), record.nextOffset());
        return result(loss, RunStatus.RUNNING);
    }

    /**
     * A record of the stream that is not a minibatch, skipped ({@link BadMinibatchPolicy#SKIP}): it
     * takes the place of the batch due next, and its offset goes into the run record. If that batch
     * ended an epoch, the epoch ends here, with its snapshot, and if it ended the run, so does the run.
     *
     * @return whether the run has ended
     */
    private boolean skip(StreamedBatch skipped) {
        long due = point.position();
        if (record == null) {
            pendingSkips.add(skipped.offset());
            firstRecordOffset = Math.min(firstRecordOffset, skipped.offset());
        } else {
            record = record.withSkipped(skipped.offset());
        }
        if (batchesPerEpoch == 0) {
            // no batch of the stream read yet: where it stood is known when the next one comes
            point.skipUnplaced();
            log.info("run {}: skipped record {} of stream {} ({}), in the place of its batch {} from the start; "
                    + "a copy is in the dead-letter topic", runId(), skipped.where(), settings.stream(),
                    skipped.skippedBecause(), due);
            return false;
        }
        int epoch = (int) (due / batchesPerEpoch) + 1;
        int index = (int) (due % batchesPerEpoch);
        boolean epochEnd = point.skip(batchesPerEpoch);
        if (index == 0) {
            listener.onEpochStart(epoch);
        }
        log.info("run {}: skipped record {} of stream {} ({}), in the place of epoch {} batch {}; a copy is in the "
                + "dead-letter topic", runId(), skipped.where(), settings.stream(), skipped.skippedBecause(), epoch,
                index);
        if (!epochEnd || record == null) {
            return false;
        }
        boolean last = epoch == record.spec().epochs();
        endEpochWithoutItsLastBatch(epoch, last, skipped.topic(), skipped.partition(), skipped.offset() + 1,
                "epoch " + epoch + " batch " + index + " (skipped)");
        return last;
    }

    /**
     * The snapshot of an epoch whose last batch was skipped, unless one was committed at this step
     * already (a step has one snapshot): then, if the run has ended, its record says so alone.
     */
    private void endEpochWithoutItsLastBatch(int epoch, boolean last, String topic, int partition, long nextOffset,
                                             String after) {
        if (!record.hasSnapshot() || record.step() != point.steps) {
            commitSnapshot(epoch, true, last, topic, partition, nextOffset, after);
        } else if (last) {
            record = record.withStatus(RunStatus.FINISHED, "", System.currentTimeMillis());
            sink.publish(record);
        }
    }

    private String runId() {
        return record != null ? record.runId() : settings.runId();
    }

    /** The run's network: restored, or initialised from its spec when none was given. */
    private TrainingStep step() {
        if (step == null) {
            step = TrainingStep.start(record.spec(), settings.mathThreads());
        }
        return step;
    }

    /**
     * Commits a snapshot of the network as it stands, with the run record, the stream consumed up to
     * {@code nextOffset} of {@code topic}-{@code partition}. {@code after} names where, for messages.
     */
    private void commitSnapshot(int epoch, boolean epochEnd, boolean last, String topic, int partition,
                                long nextOffset, String after) {
        float[] parameters = step().parameters();
        requireFinite(parameters, after);
        WeightSnapshot snapshot = WeightSnapshot.of(record.spec(), epoch, point.steps, point.samplesSeen,
                System.currentTimeMillis(), epochEnd, last, point.epochLoss(), point.epochAccuracy(),
                List.of(new ConsumedOffset(topic, partition, nextOffset)), record.spec().architecture().layout(),
                parameters, step.optimizerState(), point.prequential().state());
        lastSnapshotNanos = nanoTime.getAsLong();
        RunStatus status = last ? RunStatus.FINISHED : RunStatus.RUNNING;
        RunRecord before = record;
        record = sink.commit(snapshot, new TopicPartition(topic, partition), nextOffset,
                written -> before.withSnapshot(status, nextOffset, point.steps, point.samplesSeen,
                        written.partition(), written.offset(), snapshot.parametersSha256(),
                        System.currentTimeMillis()));
        listener.onSnapshot(snapshot);
    }

    private TrainingResult finished(double loss) {
        return result(loss, RunStatus.FINISHED);
    }

    private TrainingResult result(double loss, RunStatus status) {
        int epochs = status == RunStatus.FINISHED ? record.spec().epochs() : point.epoch();
        return new TrainingResult(record.runId(), epochs, point.steps, point.samplesSeen, record.snapshots(),
                record.snapshotSha256(), loss, status);
    }

    /**
     * A new run: its spec from the first minibatch, its network initialised (a network its engine
     * does not compute is refused before the run has a record), its record published.
     */
    private void start(StreamedBatch first) {
        RunSpec spec = specFor(first.batch());
        step = TrainingStep.start(spec, settings.mathThreads()); // the engine auto resolved to, alone
        point.measure(spec.prequential());
        record = RunRecord.started(spec, first.topic(), Math.min(first.offset(), firstRecordOffset),
                System.currentTimeMillis());
        for (long skipped : pendingSkips) {
            record = record.withSkipped(skipped);
        }
        sink.publish(record);
        listener.onRunStart(spec);
        log.info("run {}: training {} on stream {} ({} of {}) from offset {}", record.runId(),
                settings.recipe().describe(), settings.stream(), spec.isOpen() ? "open, no last epoch"
                        : spec.epochs() + " epochs", spec.dataset(), first.offset());
    }

    private RunSpec specFor(Minibatch first) {
        int epochs = first.epochs();
        if (first.isOpen()) {
            epochs = settings.maxEpochs(); // 0: as open as the stream, the run never finishes
        } else if (settings.maxEpochs() > 0) {
            if (settings.maxEpochs() > first.epochs()) {
                throw new IllegalArgumentException("--epochs " + settings.maxEpochs() + " asked for, but stream "
                        + settings.stream() + " holds only " + first.epochs() + " epochs");
            }
            epochs = settings.maxEpochs();
        }
        TrainingRecipe recipe = settings.recipe();
        Losses.get(recipe.loss());
        Architecture architecture = Models.build(recipe.model(), recipe.modelOptions(), Shape.of(first.sampleShape()),
                first.numClasses());
        Shape sampleShape = Shape.of(first.sampleShape());
        recipe.transforms().forEach(t -> t.requireFits(sampleShape));
        return new RunSpec(settings.runId(), settings.stream(), first.dataset(), recipe.model(), recipe.loss(),
                recipe.optimizer(), first.sampleCount(), epochs, settings.seed(), settings.topics(),
                EnvironmentProbe.current(settings.mathThreads()), settings.snapshotEvery(), recipe.modelOptions(),
                recipe.schedule(), architecture, Engines.resolve(settings.engine(), architecture), first.sampling(),
                recipe.transforms(), settings.prequential());
    }

    private static void requireTrainingSplit(Minibatch batch, String where) {
        if (batch.split() != Split.TRAIN) {
            throw new IllegalArgumentException(where + " holds a " + batch.split().label() + " batch, not a training "
                    + "batch: " + batch);
        }
    }

    private void requireFits(Minibatch batch, String where) {
        Architecture architecture = record.spec().architecture();
        if (!Arrays.equals(architecture.inputShape().dims(), batch.sampleShape())
                || architecture.classes() != batch.numClasses()) {
            throw new IllegalArgumentException("run " + record.runId() + " trains a network for samples of shape "
                    + architecture.inputShape() + " with " + architecture.classes() + " classes, but " + where
                    + " holds " + batch);
        }
    }

    /**
     * Before a snapshot: an update can blow the weights up after a finite loss (the loss is computed
     * before it), and a snapshot holding a NaN or an infinity is never published: the run diverged.
     */
    private void requireFinite(float[] parameters, String after) {
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) {
                diverged("parameter " + describe(i) + " is " + parameters[i] + " after step " + point.steps
                        + " (" + after + ")");
            }
        }
    }

    /** Parameter {@code index} of the flat vector as {@code tensor[i]}, by the run's layout. */
    private String describe(int index) {
        long first = 0;
        for (TensorLayout tensor : record.spec().architecture().layout()) {
            if (index < first + tensor.size()) {
                return tensor.name() + "[" + (index - first) + "]";
            }
            first += tensor.size();
        }
        return "[" + index + "]";
    }

    /** Records the run as DIVERGED, with {@code why}, and stops it. */
    private void diverged(String why) {
        sink.publish(record.withStatus(RunStatus.DIVERGED, why, System.currentTimeMillis()));
        throw new RunDivergedException("run " + record.runId() + " diverged: " + why);
    }

    /** Records {@code status} with {@code why} if the run has a record; never throws. */
    void publishQuietly(RunStatus status, String why) {
        if (record == null) {
            return;
        }
        try {
            sink.publish(record.withStatus(status, why, System.currentTimeMillis()));
        } catch (RuntimeException e) {
            log.warn("run {}: could not record status {}: {}", record.runId(), status, e.getMessage());
        }
    }
}
