package dev.streamtrain.contracts.topic;

import org.apache.kafka.common.config.TopicConfig;

import java.util.Map;

/**
 * The explicit configs each topic is created with. Sizes are chosen for the records we write:
 * minibatches are ~50 KB, snapshots are parameters of whole networks (2.7 MB for the tutorial MLP).
 */
public final class TopicConfigs {

    /** Largest snapshot record the snapshot topic accepts: room for networks ~25x the tutorial MLP. */
    public static final int MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;
    /** Largest record batch on the minibatch topics (producers batch up to 1 MB of ~50 KB records). */
    public static final int MAX_MINIBATCH_BYTES = 8 * 1024 * 1024;

    /**
     * Partitions of the topics keyed by run id (snapshots, metrics): evaluator instances sharing an
     * application id split them, so up to this many evaluate in parallel. A minibatch stream and the
     * test set stay on one partition each: they must be read in order.
     */
    public static final int RUN_PARTITIONS = 4;

    /**
     * Partitions of the prediction topics (keyed by request id): instances of one serving application
     * split them. Requests and predictions have as many, so a request's answer has its partition.
     */
    public static final int PREDICT_PARTITIONS = 4;
    /** Largest record batch on the prediction topics: a request of ~2,000 28x28 samples as JSON. */
    public static final int MAX_PREDICT_BYTES = 8 * 1024 * 1024;
    /** Requests and answers are kept a week: they are traffic, not a run's history. */
    static final long PREDICT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    private TopicConfigs() {
    }

    /** Training minibatches: one partition so a stream keeps its order; kept forever so runs replay. */
    public static Map<String, String> minibatches() {
        return Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MINIBATCH_BYTES),
                // -1: never delete by age; a run's minibatches must stay readable to replay it.
                TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    /** Test set: compacted, keyed by dataset and batch index, so producing it again replaces it. */
    public static Map<String, String> testSet() {
        return Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MINIBATCH_BYTES),
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** Weight snapshots: large records, kept forever (they are the run's history). */
    public static Map<String, String> snapshots() {
        return Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_SNAPSHOT_BYTES),
                TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    /** Runs: one JSON record per run and status change, compacted to the latest per run id. */
    public static Map<String, String> runs() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /**
     * Dead letters: copies of records a reader skipped, as large as the records they copy (a
     * snapshot), compacted to one copy per original record (they are keyed by its topic-partition@offset).
     */
    public static Map<String, String> deadLetters() {
        return Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_SNAPSHOT_BYTES),
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** Metrics: small JSON records, kept forever so learning curves can be rebuilt from Kafka alone. */
    public static Map<String, String> metrics() {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    /** Prediction requests, and their answers: JSON records of up to a few MB, kept a week. */
    public static Map<String, String> predictions() {
        return Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_PREDICT_BYTES),
                // explicit, whatever the broker's default: requests and answers are traffic, not history
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(PREDICT_RETENTION_MS));
    }
}
