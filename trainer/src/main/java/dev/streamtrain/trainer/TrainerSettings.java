package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.model.Engines;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one trainer does: which run, on which stream, with which model, loss, optimizer and schedule.
 *
 * @param runId         the run's id (consumer group {@code streamtrain-trainer-<runId>}, snapshot key)
 * @param stream        the minibatch stream to train on (minibatch record key)
 * @param recipe        model and options, loss, optimizer, schedule
 * @param seed          seed of the parameter initialisation and of the dropout masks
 * @param snapshotEvery also publish a snapshot every this many batches (0: only at epoch ends)
 * @param maxEpochs     train at most this many epochs of the stream (0: all of it)
 * @param fromOffset    where the stream starts on the minibatch topic, if known (else read from the start)
 * @param topics        the pipeline's topics
 * @param mathThreads   the engine's math threads
 * @param engine        the engine that computes the network, or {@code auto} (resolved, and recorded, when the
 *                      run's network is known)
 * @param waitForStream how long to wait for the stream's first minibatch before failing (null: as long as it
 *                      takes, as {@code local} waits for its own producer)
 * @param replication   the replication of the topics it creates, if they are missing
 * @param onBadMinibatch what to do with a record of the stream that is not a minibatch (null: {@code FAIL})
 * @param snapshotInterval also publish a snapshot when this long has passed since the last one, at the next batch
 *                      or, with nothing arriving, while waiting (null: none)
 * @param reproducing   for a replay, what it must reproduce of the original run (null: not a replay)
 * @param prequential   how the test-then-train metrics are measured ({@code --window}, {@code --fading-factor};
 *                      null: the defaults)
 */
public record TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                              int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads,
                              String engine, Duration waitForStream, TopicReplication replication,
                              BadMinibatchPolicy onBadMinibatch, Duration snapshotInterval,
                              Reproduction reproducing, PrequentialSpec prequential) {

    public TrainerSettings {
        prequential = prequential == null ? PrequentialSpec.DEFAULT : prequential;
        RunSpec.requireId("runId", runId);
        RunSpec.requireId("stream", stream);
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(fromOffset, "fromOffset");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(replication, "replication");
        onBadMinibatch = onBadMinibatch == null ? BadMinibatchPolicy.FAIL : onBadMinibatch;
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("--snapshot-every must be >= 0 (0 = only at epoch ends), got "
                    + snapshotEvery);
        }
        if (maxEpochs < 0) {
            throw new IllegalArgumentException("--epochs must be >= 0 (0 = the whole stream), got " + maxEpochs);
        }
        if (mathThreads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + mathThreads);
        }
        if (waitForStream != null && (waitForStream.isNegative() || waitForStream.isZero())) {
            throw new IllegalArgumentException("--wait-for-stream must be positive, got " + waitForStream);
        }
        if (snapshotInterval != null && (snapshotInterval.isNegative() || snapshotInterval.isZero())) {
            throw new IllegalArgumentException("--snapshot-interval must be positive, got " + snapshotInterval);
        }
    }

    /** Settings with the default test-then-train measures. */
    public TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                           int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads,
                           String engine, Duration waitForStream, TopicReplication replication,
                           BadMinibatchPolicy onBadMinibatch, Duration snapshotInterval, Reproduction reproducing) {
        this(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics, mathThreads, engine,
                waitForStream, replication, onBadMinibatch, snapshotInterval, reproducing, null);
    }

    /** Settings without a snapshot interval, not a replay. */
    public TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                           int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads, String engine,
                           Duration waitForStream, TopicReplication replication, BadMinibatchPolicy onBadMinibatch) {
        this(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics, mathThreads, engine,
                waitForStream, replication, onBadMinibatch, null, (Reproduction) null);
    }

    /** Settings that stop at a bad minibatch. */
    public TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                           int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads, String engine,
                           Duration waitForStream, TopicReplication replication) {
        this(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics, mathThreads, engine,
                waitForStream, replication, BadMinibatchPolicy.FAIL);
    }

    /** Settings whose topics, if missing, are created with the broker's default replication. */
    public TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                           int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads, String engine,
                           Duration waitForStream, BadMinibatchPolicy onBadMinibatch) {
        this(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics, mathThreads, engine,
                waitForStream, TopicReplication.BROKER_DEFAULTS, onBadMinibatch);
    }

    /** Settings that stop at a bad minibatch and create missing topics with the broker's default replication. */
    public TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                           int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads, String engine,
                           Duration waitForStream) {
        this(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics, mathThreads, engine,
                waitForStream, TopicReplication.BROKER_DEFAULTS, BadMinibatchPolicy.FAIL);
    }

    /** Settings that wait for the stream's first minibatch as long as it takes. */
    public TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                           int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads, String engine) {
        this(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics, mathThreads, engine, null);
    }

    /** Settings on the default engine. */
    public TrainerSettings(String runId, String stream, TrainingRecipe recipe, long seed, int snapshotEvery,
                           int maxEpochs, OptionalLong fromOffset, TopicNames topics, int mathThreads) {
        this(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics, mathThreads, Engines.DEFAULT);
    }

    /**
     * The settings that trained {@code record}'s run: its stream from its first offset, its recipe,
     * seed, snapshot interval, epochs, topics, engine and math threads; skipping bad minibatches if
     * it skipped any (the same records, which the log still holds, so a replay reaches the same weights).
     */
    public static TrainerSettings of(RunRecord record) {
        RunSpec spec = record.spec();
        return new TrainerSettings(record.runId(), spec.stream(), spec.recipe(), spec.seed(), spec.snapshotEvery(),
                spec.epochs(), OptionalLong.of(record.firstOffset()), spec.topics(),
                spec.environment().mathThreads(), spec.engine(), null,
                record.skippedOffsets().isEmpty() ? BadMinibatchPolicy.FAIL : BadMinibatchPolicy.SKIP)
                .withPrequential(spec.prequential());
    }

    public String consumerGroup() {
        return "streamtrain-trainer-" + runId;
    }

    /** These settings for a new run {@code newRunId} on the same stream, with another recipe and settings. */
    public TrainerSettings forRun(String newRunId, TrainingRecipe newRecipe, long newSeed, int newSnapshotEvery,
                                  int newThreads, String newEngine) {
        return new TrainerSettings(newRunId, stream, newRecipe, newSeed, newSnapshotEvery, maxEpochs, fromOffset,
                topics, newThreads, newEngine, null, replication, onBadMinibatch, snapshotInterval, reproducing, prequential);
    }

    /** These settings, creating missing topics with {@code newReplication}. */
    public TrainerSettings withReplication(TopicReplication newReplication) {
        return new TrainerSettings(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics,
                mathThreads, engine, waitForStream, newReplication, onBadMinibatch, snapshotInterval, reproducing,
                prequential);
    }

    /** These settings, also snapshotting when {@code interval} has passed since the last snapshot (null: never). */
    public TrainerSettings withSnapshotInterval(Duration interval) {
        return new TrainerSettings(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics,
                mathThreads, engine, waitForStream, replication, onBadMinibatch, interval, reproducing, prequential);
    }

    /** These settings for a replay that must reproduce {@code reproduction}. */
    public TrainerSettings reproducing(Reproduction reproduction) {
        return new TrainerSettings(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics,
                mathThreads, engine, waitForStream, replication, onBadMinibatch, snapshotInterval, reproduction,
                prequential);
    }

    /** These settings, measuring the test-then-train metrics as {@code measures} says. */
    public TrainerSettings withPrequential(PrequentialSpec measures) {
        return new TrainerSettings(runId, stream, recipe, seed, snapshotEvery, maxEpochs, fromOffset, topics,
                mathThreads, engine, waitForStream, replication, onBadMinibatch, snapshotInterval, reproducing,
                measures);
    }
}
