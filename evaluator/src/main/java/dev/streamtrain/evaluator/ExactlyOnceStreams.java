package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.topic.TopicReplication;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka Streams configs the evaluator's and the server's correctness depends on, which no user
 * config may override: their application id and state dir, exactly once, dead letters for records they
 * cannot use, and Streams' own topics replicated as the pipeline's.
 */
public final class ExactlyOnceStreams {

    private ExactlyOnceStreams() {
    }

    public static Map<String, Object> enforced(String applicationId, Path stateDir, TopicReplication replication) {
        Map<String, Object> enforced = new HashMap<>(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString(),
                // Each input record yields exactly one output record (a metrics record, a prediction), even across
                // crashes.
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                // A record it cannot use is skipped and dead-lettered, not the end of the application.
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringHandler.class));
        // Streams' own topics (changelogs, repartitions) replicated as the pipeline's, when asked.
        replication.replicationFactor().ifPresent(rf -> enforced.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, rf));
        replication.minInsyncReplicas().ifPresent(min ->
                enforced.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), min));
        return enforced;
    }
}
