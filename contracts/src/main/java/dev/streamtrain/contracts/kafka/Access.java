package dev.streamtrain.contracts.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a Kafka client or a service asks of the cluster, in Kafka's ACL terms: the operation it
 * needs on each topic it uses, and the transactional ids it writes with. A refusal is named with
 * these ({@link ClusterAccessException}): Kafka's exceptions name the topic or the group at most,
 * never the operation or the principal.
 *
 * @param topics           the topics it uses, each with the operation it needs there (e.g. {@code WRITE})
 * @param otherTopics      the operation on any other topic it is refused (e.g. a consumer's {@code READ})
 * @param clusterOperation what a refusal on the cluster is about
 * @param transactionalIds how a refusal names the transactional ids it writes with, e.g. {@code transactional
 *                         id streamtrain-trainer-r1} (null: not transactional)
 */
public record Access(Map<String, String> topics, String otherTopics, String clusterOperation,
                     String transactionalIds) {

    private static final String IDEMPOTENT_WRITE = "IDEMPOTENT_WRITE (or WRITE on a topic)";

    public Access {
        topics = Map.copyOf(topics);
        Objects.requireNonNull(otherTopics, "otherTopics");
        Objects.requireNonNull(clusterOperation, "clusterOperation");
    }

    /** A consumer: READ on its topics and groups. */
    public static Access reading() {
        return new Access(Map.of(), "READ", "DESCRIBE", null);
    }

    /**
     * An idempotent producer: WRITE on its topics. Refused on the cluster, it lacks IDEMPOTENT_WRITE,
     * for which WRITE on any topic stands in (Kafka 2.8+).
     */
    public static Access writing() {
        return new Access(Map.of(), "WRITE", IDEMPOTENT_WRITE, null);
    }

    /** A transactional producer: WRITE on its topics and on {@code transactionalId}. */
    public static Access writingTransactionally(String transactionalId) {
        return writing().withTransactionalIds("transactional id " + Objects.requireNonNull(transactionalId));
    }

    /** An admin client that looks topics up: DESCRIBE. */
    public static Access describing() {
        return new Access(Map.of(), "DESCRIBE", "DESCRIBE", null);
    }

    /** The same, using {@code topic} too, with {@code operation} (e.g. {@code READ and WRITE}). */
    public Access on(String topic, String operation) {
        Map<String, String> more = new HashMap<>(topics);
        more.put(topic, operation);
        return new Access(more, otherTopics, clusterOperation, transactionalIds);
    }

    /** The same, writing with transactional ids, named in a refusal as {@code transactionalIds} says. */
    public Access withTransactionalIds(String transactionalIds) {
        return new Access(topics, otherTopics, clusterOperation, transactionalIds);
    }

    /** Whether it uses {@code topic}. */
    public boolean uses(String topic) {
        return topics.containsKey(topic);
    }

    /** The topics it uses. */
    public Set<String> usedTopics() {
        return topics.keySet();
    }

    /** The operation it needs on {@code topic}. */
    public String operationOn(String topic) {
        return topics.getOrDefault(topic, otherTopics);
    }
}
