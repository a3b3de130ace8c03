package dev.streamtrain.contracts.topic;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.DeadLetters;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Creates the pipeline's topics with their explicit configs ({@link TopicConfigs}); a topic that
 * already exists is left as it is. Every service calls this at start, so any start order works.
 * On a cluster with ACLs a service may create only the topics it uses (CREATE); the others are
 * left to the services that use them (Kafka refuses the creation of a topic without CREATE on it
 * even when the topic exists, so a refusal says nothing about the topic). A topic the service uses
 * that it may not create, or not see, fails it at once, naming the principal and the operation
 * ({@link ClusterAccessException}), rather than when its first record waits a minute for the topic.
 * It returns once every partition of a topic it created is served by its leader: an idempotent
 * producer whose first request reaches a partition before that can lose a batch (KAFKA-15591).
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    static final Duration AWAIT_LEADERS = Duration.ofSeconds(60);
    static final Duration RETRY_BACKOFF = Duration.ofMillis(50);

    private TopicProvisioner() {
    }

    /** Creates the missing topics with an admin client of {@code adminConfig}, for a client that uses none of them. */
    public static void ensureTopics(Map<String, Object> adminConfig, TopicNames topics) {
        ensureTopics(adminConfig, topics, Access.describing());
    }

    /**
     * Creates the missing topics with an admin client of {@code adminConfig}, for a service that asks
     * {@code service} of the cluster: a topic it uses must be there, or made by it, and visible to it.
     */
    public static void ensureTopics(Map<String, Object> adminConfig, TopicNames topics, Access service) {
        try (Admin admin = Admin.create(adminConfig)) {
            for (String topic : ensureTopics(admin, topics)) {
                if (service.uses(topic) && !exists(admin, topic)) {
                    throw ClusterAccessException.of(new TopicAuthorizationException(Set.of(topic)), adminConfig,
                            service.on(topic, "CREATE")).orElseThrow();
                }
            }
        } catch (RuntimeException e) {
            throw ClusterAccessException.explain(e, adminConfig, service);
        }
    }

    /** Creates the missing topics; returns those it may not create (which may or may not exist), in pipeline order. */
    private static List<String> ensureTopics(Admin admin, TopicNames topics) {
        List<NewTopic> wanted = List.of(
                topic(topics.minibatches(), 1, TopicConfigs.minibatches()),
                topic(topics.testSet(), 1, TopicConfigs.testSet()),
                topic(topics.snapshots(), TopicConfigs.RUN_PARTITIONS, TopicConfigs.snapshots()),
                topic(topics.metrics(), TopicConfigs.RUN_PARTITIONS, TopicConfigs.metrics()),
                topic(topics.runs(), 1, TopicConfigs.runs()),
                topic(DeadLetters.TOPIC, 1, TopicConfigs.deadLetters()));
        Map<TopicPartition, OffsetSpec> created = new HashMap<>();
        Set<String> refused = new HashSet<>();
        admin.createTopics(wanted).values().forEach((name, future) -> {
            try {
                future.get();
                log.info("created topic {}", name);
                NewTopic topic = wanted.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
                for (int p = 0; p < topic.numPartitions(); p++) {
                    created.put(new TopicPartition(name, p), OffsetSpec.latest());
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    refused.add(name);
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
        awaitLeaders(admin, created);
        return wanted.stream().map(NewTopic::name).filter(refused::contains).toList();
    }

    /** Whether {@code topic} exists; a topic this client may not see fails, naming it. */
    private static boolean exists(Admin admin, String topic) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            if (e.getCause() instanceof TopicAuthorizationException) {
                throw new TopicAuthorizationException(e.getCause().getMessage(), Set.of(topic));
            }
            throw new IllegalStateException("could not describe topic " + topic + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }

    /**
     * Whether the cluster's metadata names a leader for every partition of {@code topics} (an unknown
     * topic: no). Topics this client made but may not see (CREATE without DESCRIBE) fail, named.
     */
    private static boolean haveLeaders(Admin admin, Set<String> topics) throws InterruptedException {
        boolean all = true;
        Set<String> hidden = new TreeSet<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic
                : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                all &= topic.getValue().get().partitions().stream().allMatch(p -> p.leader() != null);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    hidden.add(topic.getKey());
                } else if (e.getCause() instanceof RetriableException) {
                    all = false;
                } else {
                    throw new IllegalStateException("could not describe new topic " + topic.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
        }
        if (!hidden.isEmpty()) {
            throw new TopicAuthorizationException("created topics " + hidden + ", but may not see them", hidden);
        }
        return all;
    }

    /**
     * Waits until each partition's leader answers for it: a ListOffsets request is refused (unknown
     * topic, NOT_LEADER_OR_FOLLOWER) until the broker has applied the topic's creation, exactly as a
     * produce request is. Retried every {@link #RETRY_BACKOFF} for up to {@link #AWAIT_LEADERS}.
     */
    private static void awaitLeaders(Admin admin, Map<TopicPartition, OffsetSpec> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + AWAIT_LEADERS.toNanos();
        Set<String> topics = partitions.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
        try {
            // first until the metadata names a leader for every partition: a ListOffsets request
            // sent before that is answered with an error the admin client logs at ERROR level
            while (!haveLeaders(admin, topics)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("created topics " + topics + ", but they have no leaders after "
                            + AWAIT_LEADERS.toSeconds() + " s");
                }
                Thread.sleep(RETRY_BACKOFF.toMillis());
            }
            while (true) {
                try {
                    admin.listOffsets(partitions).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                        throw new IllegalStateException("created topics " + partitions.keySet() + ", but their "
                                + "leaders did not answer: " + e.getCause().getMessage(), e.getCause());
                    }
                    Thread.sleep(RETRY_BACKOFF.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for new topics' leaders", e);
        }
    }

    private static NewTopic topic(String name, int partitions, Map<String, String> configs) {
        // The broker's default replication factor.
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
}
