package dev.streamtrain.trainer;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunSpec;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.OptionalLong;

/**
 * The tutorial's {@code train_loop} as a Kafka consumer: for each minibatch of the run's stream,
 * forward, loss, backward, step; a weight snapshot at the end of every epoch (and every
 * {@code snapshotEvery} batches), after which the consumed offset is committed.
 */
public final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final KafkaSettings kafka;
    private final TrainerSettings settings;
    private final TrainingListener listener;

    public Trainer(KafkaSettings kafka, TrainerSettings settings, TrainingListener listener) {
        this.kafka = kafka;
        this.settings = settings;
        this.listener = listener;
    }

    public TrainingResult run() {
        MathThreads.apply(settings.mathThreads());
        NetworkModel model = NetworkModels.byName(settings.model());
        TopicProvisioner.ensureTopics(kafka.admin(), settings.topics());
        try (MinibatchSource source = new MinibatchSource(kafka, settings.topics().minibatches(), settings.stream(),
                settings.consumerGroup());
             SnapshotPublisher publisher = new SnapshotPublisher(kafka, settings.topics().snapshots())) {
            OptionalLong committed = source.committedOffset();
            if (committed.isPresent()) {
                throw new IllegalStateException("run " + settings.runId() + " already trained up to offset "
                        + committed.getAsLong() + " of " + settings.topics().minibatches() + " (consumer group "
                        + settings.consumerGroup() + "); resuming a run is not supported yet: use a new --run-id");
            }
            source.seek(settings.fromOffset());
            return train(model, source, publisher);
        }
    }

    private TrainingResult train(NetworkModel model, MinibatchSource source, SnapshotPublisher publisher) {
        TrainingStep step = new TrainingStep(model.create(settings.optimizer(), settings.seed()));
        RunSpec spec = null;
        int expectedEpoch = 1;
        int expectedBatch = 0;
        long steps = 0;
        long samplesSeen = 0;
        int samplesInEpoch = 0;
        int snapshots = 0;
        double loss = Double.NaN;
        while (true) {
            StreamedBatch streamed = source.next();
            Minibatch batch = streamed.batch();
            if (batch.epoch() != expectedEpoch || batch.batchIndex() != expectedBatch) {
                throw new IllegalStateException("stream " + settings.stream() + ": expected epoch " + expectedEpoch
                        + " batch " + expectedBatch + " but " + streamed.topic() + "-" + streamed.partition()
                        + " offset " + streamed.offset() + " holds epoch " + batch.epoch() + " batch "
                        + batch.batchIndex() + (spec == null ? "; does --from-offset point inside the stream?"
                        : "; was the stream produced twice under one id?"));
            }
            if (spec == null) {
                spec = specFor(model, batch);
                log.info("run {}: training {} on stream {} ({} epochs of {} x {}) from offset {}", spec.runId(),
                        model.name(), spec.stream(), spec.epochs(), batch.dataset(), batch.datasetSize(),
                        streamed.offset());
            }
            MinibatchTensors.requireCompatible(model, batch);
            if (batch.batchIndex() == 0) {
                samplesInEpoch = 0;
                listener.onEpochStart(batch.epoch());
            }
            long started = System.nanoTime();
            loss = step.apply(batch);
            long stepNanos = System.nanoTime() - started;
            if (!Double.isFinite(loss)) {
                log.warn("run {}: loss is {} at epoch {} batch {}", spec.runId(), loss, batch.epoch(),
                        batch.batchIndex());
            }
            steps++;
            samplesSeen += batch.sampleCount();
            samplesInEpoch += batch.sampleCount();
            listener.onBatch(batch.epoch(), batch.batchIndex(), loss, samplesInEpoch, batch.datasetSize(), stepNanos);

            boolean epochEnd = batch.endsEpoch();
            boolean last = epochEnd && batch.epoch() == spec.epochs();
            if (epochEnd || (settings.snapshotEvery() > 0 && steps % settings.snapshotEvery() == 0)) {
                WeightSnapshot snapshot = WeightSnapshot.of(spec, batch.epoch(), steps, samplesSeen,
                        System.currentTimeMillis(), epochEnd, last,
                        List.of(new ConsumedOffset(streamed.topic(), streamed.partition(), streamed.offset() + 1)),
                        model.layout(), ParameterLayout.read(step.network(), model.layout()), new float[0]);
                publisher.publish(snapshot);
                source.commit(streamed.offset() + 1);
                snapshots++;
                listener.onSnapshot(snapshot);
                if (last) {
                    return new TrainingResult(spec.runId(), spec.epochs(), steps, samplesSeen, snapshots,
                            snapshot.parametersSha256(), loss);
                }
            }
            if (epochEnd) {
                expectedEpoch++;
                expectedBatch = 0;
            } else {
                expectedBatch++;
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
                EnvironmentProbe.current(settings.mathThreads()));
    }
}
