package dev.streamtrain.contracts.topic;

import org.apache.kafka.common.config.TopicConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How many replicas each topic the services create gets, and how many of them must hold a record
 * before a producer with {@code acks=all} (every streamtrain producer) is told it is written
 * ({@code min.insync.replicas}). Either one left empty is the broker's default for it
 * ({@code default.replication.factor}, {@code min.insync.replicas}).
 *
 * @param replicationFactor {@code --replication-factor}: replicas per partition, at least 1
 * @param minInsyncReplicas {@code --min-insync-replicas}: at least 1, and at most the replication factor
 */
public record TopicReplication(OptionalInt replicationFactor, OptionalInt minInsyncReplicas) {

    /** The option that sets {@link #replicationFactor()}, named in errors and warnings. */
    public static final String REPLICATION_FACTOR_OPTION = "--replication-factor";
    /** The option that sets {@link #minInsyncReplicas()}, named in errors and warnings. */
    public static final String MIN_INSYNC_REPLICAS_OPTION = "--min-insync-replicas";

    /** The broker's defaults for both: what the services did before these options existed. */
    public static final TopicReplication BROKER_DEFAULTS = new TopicReplication(OptionalInt.empty(),
            OptionalInt.empty());

    public TopicReplication {
        if (replicationFactor == null || minInsyncReplicas == null) {
            throw new NullPointerException("replicationFactor and minInsyncReplicas must not be null (use "
                    + "OptionalInt.empty() for the broker's default)");
        }
        replicationFactor.ifPresent(rf -> {
            if (rf < 1 || rf > Short.MAX_VALUE) {
                throw new IllegalArgumentException(REPLICATION_FACTOR_OPTION + " must be between 1 and "
                        + Short.MAX_VALUE + ", got " + rf);
            }
        });
        minInsyncReplicas.ifPresent(min -> {
            if (min < 1) {
                throw new IllegalArgumentException(MIN_INSYNC_REPLICAS_OPTION + " must be >= 1, got " + min);
            }
            if (replicationFactor.isPresent() && min > replicationFactor.getAsInt()) {
                throw new IllegalArgumentException(MIN_INSYNC_REPLICAS_OPTION + " " + min + " exceeds "
                        + REPLICATION_FACTOR_OPTION + " " + replicationFactor.getAsInt()
                        + ": no write could ever be acknowledged; give at most " + replicationFactor.getAsInt());
            }
        });
    }

    /** Both set. */
    public static TopicReplication of(int replicationFactor, int minInsyncReplicas) {
        return new TopicReplication(OptionalInt.of(replicationFactor), OptionalInt.of(minInsyncReplicas));
    }

    /** From options that may each be absent (null: the broker's default). */
    public static TopicReplication ofNullable(Integer replicationFactor, Integer minInsyncReplicas) {
        return new TopicReplication(
                replicationFactor == null ? OptionalInt.empty() : OptionalInt.of(replicationFactor),
                minInsyncReplicas == null ? OptionalInt.empty() : OptionalInt.of(minInsyncReplicas));
    }

    /** Whether both are the broker's defaults. */
    public boolean isBrokerDefault() {
        return replicationFactor.isEmpty() && minInsyncReplicas.isEmpty();
    }

    /** The replication factor as {@code NewTopic} takes it (empty: the broker's default). */
    public Optional<Short> newTopicReplicationFactor() {
        return replicationFactor.isPresent() ? Optional.of((short) replicationFactor.getAsInt()) : Optional.empty();
    }

    /** {@code configs} plus {@code min.insync.replicas}, if set. */
    public Map<String, String> withTopicConfigs(Map<String, String> configs) {
        if (minInsyncReplicas.isEmpty()) {
            return configs;
        }
        Map<String, String> all = new HashMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas.getAsInt()));
        return Map.copyOf(all);
    }
}
