package dev.streamtrain.contracts.topic;

import java.util.Objects;

/**
 * The topics a pipeline uses: minibatches, test set, snapshots, metrics, and the compacted runs
 * registry (added in version 0.2; a spec written before it reads with the default name). Every service takes the same names; the defaults are the
 * documented ones ({@link #DEFAULT}) and tests reference these constants, never retyped strings.
 */
public record TopicNames(String minibatches, String testSet, String snapshots, String metrics, String runs) {

    public static final String DEFAULT_MINIBATCHES = "streamtrain.minibatches";
    public static final String DEFAULT_TEST_SET = "streamtrain.testset";
    public static final String DEFAULT_SNAPSHOTS = "streamtrain.snapshots";
    public static final String DEFAULT_METRICS = "streamtrain.metrics";
    public static final String DEFAULT_RUNS = "streamtrain.runs";
    /** Prediction requests to {@code streamtrain serve} (JSON, key: request id); see {@link PredictTopics}. */
    public static final String DEFAULT_PREDICT_REQUESTS = "streamtrain.predict.requests";
    /** Its answers, one per request (JSON, key: request id); see {@link PredictTopics}. */
    public static final String DEFAULT_PREDICTIONS = "streamtrain.predictions";

    public static final TopicNames DEFAULT =
            new TopicNames(DEFAULT_MINIBATCHES, DEFAULT_TEST_SET, DEFAULT_SNAPSHOTS, DEFAULT_METRICS, DEFAULT_RUNS);

    /** The four data topics with the default runs topic. */
    public TopicNames(String minibatches, String testSet, String snapshots, String metrics) {
        this(minibatches, testSet, snapshots, metrics, DEFAULT_RUNS);
    }

    public TopicNames {
        if (runs == null) {
            runs = DEFAULT_RUNS; // read from a spec written before the runs topic existed
        }
        requireTopic("minibatches", minibatches);
        requireTopic("testSet", testSet);
        requireTopic("snapshots", snapshots);
        requireTopic("metrics", metrics);
        requireTopic("runs", runs);
    }

    /** Same names with a prefix, e.g. for tests that must not see each other's records. */
    public TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + minibatches, prefix + testSet, prefix + snapshots, prefix + metrics,
                prefix + runs);
    }

    static void requireTopic(String field, String name) {
        Objects.requireNonNull(name, () -> "topic name '" + field + "' must not be null");
        if (name.isBlank() || name.length() > 249 || !name.matches("[a-zA-Z0-9._-]+") || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException("topic name '" + field + "' is not a legal Kafka topic name: '"
                    + name + "' (use 1-249 characters of [a-zA-Z0-9._-])");
        }
    }
}
