package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * @param applicationId   Kafka Streams application id (consumer group); instances sharing it split the work
 * @param stateDir        Kafka Streams state directory
 * @param topics          the pipeline's topics
 * @param testSetTimeout  how long to wait for a complete test set
 * @param mathThreads     ND4J/BLAS threads
 * @param replication     the replication of the topics it creates: the pipeline's, if missing, and Kafka Streams'
 *                        own (the best-snapshot store's changelog)
 */
public record EvaluatorSettings(String applicationId, Path stateDir, TopicNames topics, Duration testSetTimeout,
                                int mathThreads, TopicReplication replication) {

    public static final String DEFAULT_APPLICATION_ID = "streamtrain-evaluator";

    public EvaluatorSettings {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(testSetTimeout, "testSetTimeout");
        Objects.requireNonNull(replication, "replication");
        if (mathThreads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + mathThreads);
        }
    }

    /** Settings whose topics are created with the broker's default replication. */
    public EvaluatorSettings(String applicationId, Path stateDir, TopicNames topics, Duration testSetTimeout,
                             int mathThreads) {
        this(applicationId, stateDir, topics, testSetTimeout, mathThreads, TopicReplication.BROKER_DEFAULTS);
    }
}
