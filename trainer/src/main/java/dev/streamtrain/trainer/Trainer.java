package dev.streamtrain.trainer;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final AtomicBoolean stopRequested = new AtomicBoolean();

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
        TopicProvisioner.ensureTopics(kafka.admin(), settings.topics(), settings.replication(), access(settings));
        // The publisher's initTransactions() fences any earlier trainer of this run before we read its state.
        try (SnapshotPublisher publisher = new SnapshotPublisher(kafka, settings.topics(), settings.runId(),
                settings.consumerGroup());
             MinibatchSource source = new MinibatchSource(kafka, settings.topics().minibatches(), settings.stream(),
                     settings.consumerGroup())) {
            source.bindTo(registry);
            source.waitForFirst(settings.waitForStream());
            source.onBadMinibatch(settings.onBadMinibatch());
            Optional<RunRecord> existing = RunsTopicReader.find(kafka, settings.topics().runs(), settings.runId());
            existing.ifPresent(this::requireSameRun);
            if (existing.isPresent() && existing.get().status().isTerminal()) {
                return ended(existing.get());
            }
            ResumePoint point = ResumePoint.start();
            RunRecord record = existing.orElse(null);
            TrainingStep step = null;
            if (record != null && record.hasSnapshot()) {
                WeightSnapshot snapshot = lastSnapshot(record);
                step = TrainingStep.resume(record.spec(), snapshot, settings.mathThreads());
                point = ResumePoint.at(snapshot, record.skippedBefore(record.nextOffset()));
                source.seek(OptionalLong.of(record.nextOffset()));
                log.info("run {}: resuming from snapshot at step {} ({} samples), offset {}", record.runId(),
                        snapshot.step(), snapshot.samplesSeen(), record.nextOffset());
                listener.onResume(snapshot, record.nextOffset());
            } else if (record != null) {
                source.seek(OptionalLong.of(record.firstOffset()));
            } else {
                source.seek(settings.fromOffset());
            }
            if (record != null) {
                listener.onRunStart(record.spec());
            }
            try (ReadAheadFeed feed = new ReadAheadFeed(source, settings.recipe().transforms(),
                    ReadAheadFeed.DEFAULT_DEPTH, settings.stream())) {
                TrainingLoop loop = new TrainingLoop(settings, feed, publisher, listener, point, record, step,
                        stopRequested::get);
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
    }

    /**
     * Asks a running {@link #run} to stop between two steps (from any thread, e.g. a SIGTERM hook):
     * it commits a snapshot of where it stands if it has trained since the last one, and returns with
     * the run still running, to be resumed by the next trainer of the run.
     */
    public void stop() {
        stopRequested.set(true);
    }

    /**
     * What a trainer asks of the cluster: to read minibatches, read and write snapshots and run
     * records (and dead letters of run records it skips), with the run's transactional id.
     */
    static Access access(TrainerSettings settings) {
        return Access.writingTransactionally(settings.consumerGroup())
                .on(settings.topics().minibatches(), "READ")
                .on(settings.topics().snapshots(), "READ and WRITE")
                .on(settings.topics().runs(), "READ and WRITE")
                .on(DeadLetters.TOPIC, "WRITE");
    }

    private WeightSnapshot lastSnapshot(RunRecord record) {
        try (SnapshotsTopicReader reader = new SnapshotsTopicReader(kafka, settings.topics().snapshots())) {
            WeightSnapshot snapshot = reader.at(record.snapshotPartition(), record.snapshotOffset());
            if (!snapshot.parametersSha256().equals(record.snapshotSha256())) {
                throw new IllegalStateException("run " + record.runId() + ": snapshot at partition "
                        + record.snapshotPartition() + " offset " + record.snapshotOffset() + " has sha256 "
                        + snapshot.parametersSha256() + ", its run record says " + record.snapshotSha256());
            }
            return snapshot;
        }
    }

    private void requireSameRun(RunRecord record) {
        RunSpec spec = record.spec();
        TrainingRecipe recipe = settings.recipe();
        StringBuilder differs = new StringBuilder();
        differ(differs, "stream", spec.stream(), settings.stream());
        differ(differs, "model", spec.recipe().describeModel(), recipe.describeModel());
        differ(differs, "loss", spec.loss(), recipe.loss());
        differ(differs, "optimizer", spec.optimizer().describe(), recipe.optimizer().describe());
        differ(differs, "schedule", spec.schedule().describe(), recipe.schedule().describe());
        differ(differs, "transforms", spec.transforms(), recipe.transforms());
        differ(differs, "seed", spec.seed(), settings.seed());
        differ(differs, "snapshot-every", spec.snapshotEvery(), settings.snapshotEvery());
        differ(differs, "window", spec.prequential().window(), settings.prequential().window());
        differ(differs, "fading-factor", spec.prequential().fadingFactor(), settings.prequential().fadingFactor());
        if (!Engines.AUTO.equals(settings.engine())) {
            differ(differs, "engine", spec.engine(), settings.engine());
        }
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
                record.snapshots(), record.snapshotSha256(), Double.NaN, record.status());
    }
}
