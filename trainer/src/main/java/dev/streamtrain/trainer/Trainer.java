package dev.streamtrain.trainer;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.ConsumedOffset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.EnvironmentProbe;
import dev.streamtrain.model.MathThreads;
import dev.streamtrain.model.MinibatchTensors;
import dev.streamtrain.model.NetworkModel;
import dev.streamtrain.model.NetworkModels;
import dev.streamtrain.model.ParameterLayout;
import dev.streamtrain.model.UpdaterState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The tutorial's {@code train_loop} as an exactly-once Kafka consumer: for each minibatch of the
 * run's stream, forward, loss, backward, step; a weight snapshot at the end of every epoch (and
 * every {@code snapshotEvery} batches), committed in one transaction with the consumed offset and
 * the run's record. A restarted trainer resumes from the run's last committed snapshot, so a run
 * killed at any moment ends with exactly the weights of an uninterrupted one.
 */
public final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final KafkaSettings kafka;
    private final TrainerSettings settings;
    private final TrainingListener listener;
    private final MeterRegistry registry;

    public Trainer(KafkaSettings kafka, TrainerSettings settings, TrainingListener listener) {
        this(kafka, settings, listener, new CompositeMeterRegistry());
    }

    /** A trainer that also publishes its Kafka consumer's metrics (consumer lag among them) to {@code registry}. */
    public Trainer(KafkaSettings kafka, TrainerSettings settings, TrainingListener listener, MeterRegistry registry) {
        this.kafka = kafka;
        this.settings = settings;
        this.listener = listener;
        this.registry = registry;
    }

    public TrainingResult run() {
        MathThreads.apply(settings.mathThreads());
        NetworkModel model = NetworkModels.byName(settings.model());
        TopicProvisioner.ensureTopics(kafka.admin(), settings.topics());
        // The publisher's initTransactions() fences any earlier trainer of this run before we read its state.
        try (SnapshotPublisher publisher = new SnapshotPublisher(kafka, settings.topics(), settings.runId(),
                settings.consumerGroup());
             MinibatchSource source = new MinibatchSource(kafka, settings.topics().minibatches(), settings.stream(),
                     settings.consumerGroup())) {
            source.bindTo(registry);
            Optional<RunRecord> existing = RunsTopicReader.find(kafka, settings.topics().runs(), settings.runId());
            existing.ifPresent(this::requireSameRun);
            if (existing.isPresent() && existing.get().status().isTerminal()) {
                return ended(existing.get());
            }
            MultiLayerNetwork network = model.create(settings.optimizer(), settings.seed());
            ResumePoint point = ResumePoint.start();
            RunRecord record = existing.orElse(null);
            if (record != null && record.hasSnapshot()) {
                WeightSnapshot snapshot = restore(record, network, model);
                point = ResumePoint.at(snapshot);
                source.seek(OptionalLong.of(record.nextOffset()));
                log.info("run {}: resuming from snapshot at step {} ({} samples), offset {}", record.runId(),
                        snapshot.step(), snapshot.samplesSeen(), record.nextOffset());
            } else if (record != null) {
                source.seek(OptionalLong.of(record.firstOffset()));
            } else {
                source.seek(settings.fromOffset());
            }
            if (record != null) {
                listener.onRunStart(record.spec());
            }
            TrainingLoop loop = new TrainingLoop(model, new TrainingStep(network), source, publisher, point, record);
            try {
                return loop.run();
            } catch (RunFencedException | RunDivergedException e) {
                throw e;
            } catch (RuntimeException e) {
                loop.publishQuietly(RunStatus.FAILED, e.getMessage());
                throw e;
            }
        }
    }

    private WeightSnapshot restore(RunRecord record, MultiLayerNetwork network, NetworkModel model) {
        try (SnapshotsTopicReader reader = new SnapshotsTopicReader(kafka, settings.topics().snapshots())) {
            WeightSnapshot snapshot = reader.at(record.snapshotPartition(), record.snapshotOffset());
            if (!snapshot.parametersSha256().equals(record.snapshotSha256())) {
                throw new IllegalStateException("run " + record.runId() + ": snapshot at partition "
                        + record.snapshotPartition() + " offset " + record.snapshotOffset() + " has sha256 " + snapshot.parametersSha256() + ", its run record "
                        + "says " + record.snapshotSha256());
            }
            ParameterLayout.write(network, model.layout(), snapshot.parameters());
            UpdaterState.write(network, snapshot.updaterState(), snapshot.step());
            return snapshot;
        }
    }

    private void requireSameRun(RunRecord record) {
        RunSpec spec = record.spec();
        StringBuilder differs = new StringBuilder();
        differ(differs, "stream", spec.stream(), settings.stream());
        differ(differs, "model", spec.model(), settings.model());
        differ(differs, "optimizer", spec.optimizer(), settings.optimizer());
        differ(differs, "seed", spec.seed(), settings.seed());
        differ(differs, "snapshot-every", spec.snapshotEvery(), settings.snapshotEvery());
        if (!differs.isEmpty()) {
            throw new IllegalArgumentException("run " + record.runId() + " exists with" + differs
                    + "; resume it with the same settings, or start a new --run-id");
        }
    }

    private static void differ(StringBuilder differs, String setting, Object recorded, Object asked) {
        if (!recorded.equals(asked)) {
            differs.append(' ').append(setting).append(' ').append(recorded).append(" (asked ").append(asked)
                    .append(')');
        }
    }

    private static TrainingResult ended(RunRecord record) {
        if (record.status() == RunStatus.DIVERGED) {
            throw new RunDivergedException("run " + record.runId() + " diverged earlier: " + record.message());
        }
        log.info("run {} already finished at step {}", record.runId(), record.step());
        return new TrainingResult(record.runId(), record.spec().epochs(), record.step(), record.samplesSeen(),
                record.snapshots(), record.snapshotSha256(), Double.NaN);
    }

    /** One pass of the loop from a resume point to the end of the run. */
    private final class TrainingLoop {

        private final NetworkModel model;
        private final TrainingStep step;
        private final MinibatchSource source;
        private final SnapshotPublisher publisher;
        private final ResumePoint point;
        private RunRecord record;

        TrainingLoop(NetworkModel model, TrainingStep step, MinibatchSource source, SnapshotPublisher publisher,
                     ResumePoint point, RunRecord record) {
            this.model = model;
            this.step = step;
            this.source = source;
            this.publisher = publisher;
            this.point = point;
            this.record = record;
        }

        TrainingResult run() {
            double loss = Double.NaN;
            while (true) {
                StreamedBatch streamed = source.next();
                Minibatch batch = streamed.batch();
                String where = streamed.topic() + "-" + streamed.partition() + " offset " + streamed.offset();
                point.requireNext(batch, where);
                if (record == null) {
                    record = RunRecord.started(specFor(model, batch), streamed.topic(), streamed.offset(),
                            System.currentTimeMillis());
                    publisher.publish(record);
                    listener.onRunStart(record.spec());
                    log.info("run {}: training {} on stream {} ({} epochs of {}) from offset {}", record.runId(),
                            model.name(), settings.stream(), record.spec().epochs(), batch.dataset(),
                            streamed.offset());
                }
                MinibatchTensors.requireCompatible(model, batch);
                if (batch.batchIndex() == 0) {
                    listener.onEpochStart(batch.epoch());
                }
                long started = System.nanoTime();
                loss = step.apply(batch);
                long stepNanos = System.nanoTime() - started;
                point.advance(batch, loss);
                if (!Double.isFinite(loss)) {
                    String why = "loss is " + loss + " at epoch " + batch.epoch() + " batch " + batch.batchIndex();
                    publisher.publish(record.withStatus(RunStatus.DIVERGED, why, System.currentTimeMillis()));
                    throw new RunDivergedException("run " + record.runId() + " diverged: " + why);
                }
                listener.onBatch(batch.epoch(), batch.batchIndex(), loss, point.samplesInEpoch, batch.datasetSize(),
                        stepNanos);
                boolean epochEnd = batch.endsEpoch();
                boolean last = epochEnd && batch.epoch() == record.spec().epochs();
                if (epochEnd || (settings.snapshotEvery() > 0 && point.steps % settings.snapshotEvery() == 0)) {
                    WeightSnapshot snapshot = snapshot(batch, streamed, epochEnd, last);
                    long next = streamed.offset() + 1;
                    RunStatus status = last ? RunStatus.FINISHED : RunStatus.RUNNING;
                    record = publisher.commit(snapshot, new TopicPartition(streamed.topic(), streamed.partition()),
                            next, written -> record.withSnapshot(status, next, point.steps, point.samplesSeen,
                                    written.partition(), written.offset(), snapshot.parametersSha256(),
                                    System.currentTimeMillis()));
                    listener.onSnapshot(snapshot);
                    if (last) {
                        return new TrainingResult(record.runId(), record.spec().epochs(), point.steps,
                                point.samplesSeen, record.snapshots(), snapshot.parametersSha256(), loss);
                    }
                }
            }
        }

        private WeightSnapshot snapshot(Minibatch batch, StreamedBatch streamed, boolean epochEnd, boolean last) {
            MultiLayerNetwork network = step.network();
            return WeightSnapshot.of(record.spec(), batch.epoch(), point.steps, point.samplesSeen,
                    System.currentTimeMillis(), epochEnd, last, point.epochLoss(),
                    List.of(new ConsumedOffset(streamed.topic(), streamed.partition(), streamed.offset() + 1)),
                    model.layout(), ParameterLayout.read(network, model.layout()), UpdaterState.read(network));
        }

        void publishQuietly(RunStatus status, String why) {
            if (record == null) {
                return;
            }
            try {
                publisher.publish(record.withStatus(status, why, System.currentTimeMillis()));
            } catch (RuntimeException e) {
                log.warn("run {}: could not record status {}: {}", record.runId(), status, e.getMessage());
            }
        }
    }

    private RunSpec specFor(NetworkModel model, Minibatch first) {
        int epochs = first.epochs();
        if (settings.maxEpochs() > 0) {
            if (settings.maxEpochs() > first.epochs()) {
                throw new IllegalArgumentException("--epochs " + settings.maxEpochs() + " asked for, but stream "
                        + settings.stream() + " holds only " + first.epochs() + " epochs");
            }
            epochs = settings.maxEpochs();
        }
        return new RunSpec(settings.runId(), settings.stream(), first.dataset(), model.name(), RunSpec.CROSS_ENTROPY,
                settings.optimizer(), first.sampleCount(), epochs, settings.seed(), settings.topics(),
                EnvironmentProbe.current(settings.mathThreads()), settings.snapshotEvery());
    }
}
