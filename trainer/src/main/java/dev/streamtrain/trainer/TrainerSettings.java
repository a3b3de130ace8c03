package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.TopicNames;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one trainer does: which run, on which stream, with which network and optimizer.
 *
 * @param runId         the run's id (consumer group {@code streamtrain-trainer-<runId>}, snapshot key)
 * @param stream        the minibatch stream to train on (minibatch record key)
 * @param model         network name
 * @param optimizer     optimizer and learning rate
 * @param seed          seed of the parameter initialisation
 * @param snapshotEvery also publish a snapshot every this many batches (0: only at epoch ends)
 * @param maxEpochs     train at most this many epochs of the stream (0: all of it)
 * @param fromOffset    where the stream starts on the minibatch topic, if known (else read from the start)
 * @param topics        the pipeline's topics
 * @param mathThreads   ND4J/BLAS threads
 */
public record TrainerSettings(String runId, String stream, String model, OptimizerSpec optimizer, long seed,
                              int snapshotEvery, int maxEpochs, OptionalLong fromOffset, TopicNames topics,
                              int mathThreads) {

    public TrainerSettings {
        RunSpec.requireId("runId", runId);
        RunSpec.requireId("stream", stream);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(fromOffset, "fromOffset");
        Objects.requireNonNull(topics, "topics");
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
    }

    public String consumerGroup() {
        return "streamtrain-trainer-" + runId;
    }
}
