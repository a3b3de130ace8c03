package dev.streamtrain.server;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.PredictTopics;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;

import java.nio.file.Path;
import java.util.Objects;

/**
 * @param runId         the run whose snapshots are served
 * @param policy        which snapshot: the newest committed, or the best measured
 * @param topics        the pipeline's topics (snapshots, metrics, runs are read)
 * @param predictTopics the Kafka path's topics
 * @param kafkaPath     whether to answer requests from Kafka too (HTTP alone otherwise)
 * @param applicationId the Kafka path's Kafka Streams application id; a restart with the same one answers where the
 *                      last one left off
 * @param stateDir      Kafka Streams' state directory
 * @param bind          the address HTTP listens on
 * @param port          the HTTP port (0: any free one)
 * @param httpThreads   threads answering HTTP requests, each with its own network
 * @param mathThreads   ND4J/BLAS threads
 * @param replication   the replication of the topics it creates
 */
public record ServeSettings(String runId, ServePolicy policy, TopicNames topics, PredictTopics predictTopics,
                            boolean kafkaPath, String applicationId, Path stateDir, String bind, int port,
                            int httpThreads, int mathThreads, TopicReplication replication) {

    public static final String APPLICATION_ID_PREFIX = "streamtrain-serve-";
    public static final int DEFAULT_PORT = 9500;
    public static final int DEFAULT_HTTP_THREADS = 4;

    public ServeSettings {
        RunSpec.requireId("--run", runId);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(predictTopics, "predictTopics");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(replication, "replication");
        applicationId = applicationId == null ? defaultApplicationId(runId) : applicationId;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0-65535 (0: any free port), got " + port);
        }
        if (httpThreads < 1) {
            throw new IllegalArgumentException("--http-threads must be >= 1, got " + httpThreads);
        }
        if (mathThreads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + mathThreads);
        }
    }

    /** {@code streamtrain-serve-<runId>}: one Kafka path per run served. */
    public static String defaultApplicationId(String runId) {
        return APPLICATION_ID_PREFIX + runId;
    }
}
