package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.model.Engines;
import dev.streamtrain.contracts.wire.Sampling;

import java.util.Objects;

/**
 * The settings of one {@code local} run: the producer's, the trainer's and the evaluator's together.
 *
 * @param sampling      how the producer makes the stream: shuffle, drop_last, the seed, the validation split
 * @param printAccuracy print each reported batch's training accuracy with its loss
 * @param engine        the engine that computes the network
 * @param replication   the replication of the topics the run creates (the pipeline's and Kafka Streams')
 * @param prequential   how the trainer measures its test-then-train metrics (null: the defaults)
 */
public record LocalRun(String runId, int epochs, int batchSize, int testBatchSize, Sampling sampling, long seed,
                       TrainingRecipe recipe, int snapshotEvery, int mathThreads, TopicNames topics,
                       boolean printAccuracy, String engine, TopicReplication replication,
                       PrequentialSpec prequential) {

    public LocalRun {
        Objects.requireNonNull(replication, "replication");
        prequential = prequential == null ? PrequentialSpec.DEFAULT : prequential;
    }

    /** A run that measures its test-then-train metrics with the defaults. */
    public LocalRun(String runId, int epochs, int batchSize, int testBatchSize, Sampling sampling, long seed,
                    TrainingRecipe recipe, int snapshotEvery, int mathThreads, TopicNames topics,
                    boolean printAccuracy, String engine, TopicReplication replication) {
        this(runId, epochs, batchSize, testBatchSize, sampling, seed, recipe, snapshotEvery, mathThreads, topics,
                printAccuracy, engine, replication, null);
    }

    /** A run whose topics get the broker's default replication. */
    public LocalRun(String runId, int epochs, int batchSize, int testBatchSize, Sampling sampling, long seed,
                    TrainingRecipe recipe, int snapshotEvery, int mathThreads, TopicNames topics,
                    boolean printAccuracy, String engine) {
        this(runId, epochs, batchSize, testBatchSize, sampling, seed, recipe, snapshotEvery, mathThreads, topics,
                printAccuracy, engine, TopicReplication.BROKER_DEFAULTS);
    }

    /** A run on the reference engine, dl4j (the engine of specs that name none). */
    public LocalRun(String runId, int epochs, int batchSize, int testBatchSize, Sampling sampling, long seed,
                    TrainingRecipe recipe, int snapshotEvery, int mathThreads, TopicNames topics,
                    boolean printAccuracy) {
        this(runId, epochs, batchSize, testBatchSize, sampling, seed, recipe, snapshotEvery, mathThreads, topics,
                printAccuracy, Engines.DEFAULT);
    }

    /** A run of the tutorial's loader: no validation split, the last batch kept, shuffled or not. */
    public LocalRun(String runId, int epochs, int batchSize, int testBatchSize, boolean shuffle, long seed,
                    TrainingRecipe recipe, int snapshotEvery, int mathThreads, TopicNames topics) {
        this(runId, epochs, batchSize, testBatchSize, new Sampling(shuffle, false, seed, 0), seed, recipe,
                snapshotEvery, mathThreads, topics, false);
    }
}
