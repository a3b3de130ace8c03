package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;

/** The settings of one {@code local} run: the producer's, the trainer's and the evaluator's together. */
public record LocalRun(String runId, int epochs, int batchSize, int testBatchSize, boolean shuffle, long seed,
                       TrainingRecipe recipe, int snapshotEvery, int mathThreads, TopicNames topics) {
}
