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

import java.util.Arrays;
import java.util.List;

/**
 * The tutorial's {@code train_loop} over a run's stream, from a resume point to the run's end:
 * for each minibatch, check it is the one that must come next, train on it, and at every epoch end
 * (and every {@code snapshotEvery} steps) commit a snapshot with the run's record. A new run's
 * spec is made from its first minibatch (dataset, batch size, the model built for its sample
 * shape). Reads from a {@link MinibatchFeed} and writes to a {@link SnapshotSink}, so it runs
 * without a broker in tests.
 */
final class TrainingLoop {

    private static final Logger log = LoggerFactory.getLogger(TrainingLoop.class);

    private final TrainerSettings settings;
    private final MinibatchFeed feed;
    private final SnapshotSink sink;
    private final TrainingListener listener;
    private final ResumePoint point;
    private RunRecord record;
    private TrainingStep step;

    /**
     * @param record the run's record, or null for a new run
     * @param step   the run's network at {@code point}, or null for a new run
     */
    TrainingLoop(TrainerSettings settings, MinibatchFeed feed, SnapshotSink sink, TrainingListener listener,
                 ResumePoint point, RunRecord record, TrainingStep step) {
        this.settings = settings;
        this.feed = feed;
        this.sink = sink;
        this.listener = listener;
        this.point = point;
        this.record = record;
        this.step = step;
    }

    TrainingResult run() {
        double loss = Double.NaN;
        while (true) {
            StreamedBatch streamed = feed.next();
            Minibatch batch = streamed.batch();
            String where = streamed.topic() + "-" + streamed.partition() + " offset " + streamed.offset();
            point.requireNext(batch, where);
            requireTrainingSplit(batch, where); // before a run is started from it
            if (record == null) {
                start(streamed);
            } else if (step == null) {
                step = TrainingStep.start(record.spec(), settings.mathThreads());
            }
            requireFits(batch, where);
            if (batch.batchIndex() == 0) {
                listener.onEpochStart(batch.epoch());
            }
            long started = System.nanoTime();
            loss = step.apply(streamed.tensors(record.spec().transforms()), batch.epoch(), point.steps);
            long stepNanos = System.nanoTime() - started;
            int correct = step.lastCorrect();
            point.advance(batch, loss, correct);
            if (!Double.isFinite(loss)) {
                diverged("loss is " + loss + " at epoch " + batch.epoch() + " batch " + batch.batchIndex());
            }
            listener.onBatch(batch.epoch(), batch.batchIndex(), loss, (double) correct / batch.sampleCount(),
                    point.samplesInEpoch, batch.datasetSize(), stepNanos);
            boolean epochEnd = batch.endsEpoch();
            boolean last = epochEnd && batch.epoch() == record.spec().epochs();
            if (epochEnd || (settings.snapshotEvery() > 0 && point.steps % settings.snapshotEvery() == 0)) {
                float[] parameters = step.parameters();
                requireFinite(parameters, batch);
                WeightSnapshot snapshot = snapshot(batch, streamed, epochEnd, last, parameters);
                long next = streamed.offset() + 1;
                RunStatus status = last ? RunStatus.FINISHED : RunStatus.RUNNING;
                RunRecord before = record;
                record = sink.commit(snapshot, new TopicPartition(streamed.topic(), streamed.partition()), next,
                        written -> before.withSnapshot(status, next, point.steps, point.samplesSeen,
                                written.partition(), written.offset(), snapshot.parametersSha256(),
                                System.currentTimeMillis()));
                listener.onSnapshot(snapshot);
                if (last) {
                    return new TrainingResult(record.runId(), record.spec().epochs(), point.steps, point.samplesSeen,
                            record.snapshots(), snapshot.parametersSha256(), loss);
                }
            }
        }
    }

    /**
     * A new run: its spec from the first minibatch, its network initialised (a network its engine
     * does not compute is refused before the run has a record), its record published.
     */
    private void start(StreamedBatch first) {
        RunSpec spec = specFor(first.batch());
        step = TrainingStep.start(spec, settings.mathThreads()); // the engine auto resolved to, alone
        record = RunRecord.started(spec, first.topic(), first.offset(), System.currentTimeMillis());
        sink.publish(record);
        listener.onRunStart(spec);
        log.info("run {}: training {} on stream {} ({} epochs of {}) from offset {}", record.runId(),
                settings.recipe().describe(), settings.stream(), spec.epochs(), spec.dataset(), first.offset());
    }

    private RunSpec specFor(Minibatch first) {
        int epochs = first.epochs();
        if (settings.maxEpochs() > 0) {
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
                recipe.transforms());
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

    private WeightSnapshot snapshot(Minibatch batch, StreamedBatch streamed, boolean epochEnd, boolean last,
                                    float[] parameters) {
        return WeightSnapshot.of(record.spec(), batch.epoch(), point.steps, point.samplesSeen,
                System.currentTimeMillis(), epochEnd, last, point.epochLoss(), point.epochAccuracy(),
                List.of(new ConsumedOffset(streamed.topic(), streamed.partition(), streamed.offset() + 1)),
                record.spec().architecture().layout(), parameters, step.optimizerState());
    }

    /**
     * Before a snapshot: an update can blow the weights up after a finite loss (the loss is computed
     * before it), and a snapshot holding a NaN or an infinity is never published: the run diverged.
     */
    private void requireFinite(float[] parameters, Minibatch batch) {
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) {
                diverged("parameter " + describe(i) + " is " + parameters[i] + " after step " + point.steps
                        + " (epoch " + batch.epoch() + " batch " + batch.batchIndex() + ")");
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
