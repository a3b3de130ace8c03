package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.topic.TopicNames;

import java.util.Objects;

/**
 * Everything that defines a training run: what data, which network, loss and optimizer, and where
 * it ran. Validated once here; every snapshot of the run carries it (its provenance).
 *
 * @param runId       the run's id: snapshot and metrics key, trainer group {@code streamtrain-trainer-<runId>}
 * @param stream      id of the minibatch stream the run trains on (the minibatch record key)
 * @param dataset     dataset name, e.g. {@code fashion-mnist}
 * @param model       network name, e.g. {@code tutorial-mlp}
 * @param loss        loss name, e.g. {@code cross-entropy}
 * @param optimizer   optimizer and its hyperparameters
 * @param batchSize   samples per minibatch (the last batch of an epoch may be smaller)
 * @param epochs      epochs to train
 * @param seed        seed of the parameter initialisation (and of the producer's shuffling)
 * @param topics      the topics of the pipeline
 * @param environment libraries, JVM, OS, CPU and math threads the run trained with
 * @param snapshotEvery snapshots were also taken every this many steps (0: only at epoch ends);
 *                      added in 0.2, read as 0 from older specs
 */
public record RunSpec(String runId, String stream, String dataset, String model, String loss,
                      OptimizerSpec optimizer, int batchSize, int epochs, long seed, TopicNames topics,
                      Environment environment, int snapshotEvery) {

    /** A spec of a run that snapshots only at epoch ends. */
    public RunSpec(String runId, String stream, String dataset, String model, String loss, OptimizerSpec optimizer,
                   int batchSize, int epochs, long seed, TopicNames topics, Environment environment) {
        this(runId, stream, dataset, model, loss, optimizer, batchSize, epochs, seed, topics, environment, 0);
    }

    public static final String CROSS_ENTROPY = "cross-entropy";

    public RunSpec {
        requireId("runId", runId);
        requireId("stream", stream);
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(environment, "environment");
        if (!CROSS_ENTROPY.equals(loss)) {
            throw new IllegalArgumentException("loss '" + loss + "' is not known; use '" + CROSS_ENTROPY + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery must be >= 0 (0 = only at epoch ends), got "
                    + snapshotEvery);
        }
    }

    /** Run ids and stream ids become record keys and parts of consumer group ids. */
    public static void requireId(String field, String id) {
        Objects.requireNonNull(id, field);
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException(field + " '" + id + "' is not valid: use 1-128 characters of"
                    + " [A-Za-z0-9._-], starting with a letter or digit");
        }
    }
}
