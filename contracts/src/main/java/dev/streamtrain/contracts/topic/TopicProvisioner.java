package dev.streamtrain.contracts.topic;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.DeadLetters;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
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
 * Creates the pipeline's topics with their explicit configs ({@link TopicConfigs}) and the replication
 * asked for ({@link TopicReplication}); a topic that already exists is left as it is (a replication
 * that differs from the one asked for is logged at WARN). Every service calls this at start, so any start order works.
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
        ensureTopics(adminConfig, topics, TopicReplication.BROKER_DEFAULTS, Access.describing());
    }

    /** The same, creating missing topics with {@code replication}. */
    public static void ensureTopics(Map<String, Object> adminConfig, TopicNames topics, TopicReplication replication) {
        ensureTopics(adminConfig, topics, replication, Access.describing());
    }

    /** The same, for a service that asks {@code service} of the cluster, with the broker's default replication. */
    public static void ensureTopics(Map<String, Object> adminConfig, TopicNames topics, Access service) {
        ensureTopics(adminConfig, topics, TopicReplication.BROKER_DEFAULTS, service);
    }

    /**
     * Creates the missing topics, with {@code replication}, with an admin client of {@code adminConfig},
     * for a service that asks {@code service} of the cluster: a topic it uses must be there, or made by
     * it, and visible to it.
     */
    public static void ensureTopics(Map<String, Object> adminConfig, TopicNames topics, TopicReplication replication,
                                    Access service) {
        try (Admin admin = Admin.create(adminConfig)) {
            for (String topic : create(admin, newTopics(topics, replication), replication)) {
                if (service.uses(topic) && !exists(admin, topic)) {
                    throw ClusterAccessException.of(new TopicAuthorizationException(Set.of(topic)), adminConfig,
                            service.on(topic, "CREATE")).orElseThrow();
                }
            }
        } catch (IllegalArgumentException e) {
            throw e; // a replication the cluster refuses: bad input, named
        } catch (RuntimeException e) {
            throw ClusterAccessException.explain(e, adminConfig, service);
        }
    }

    /** The topics, with the broker's default replication. */
    public static void ensureTopics(Admin admin, TopicNames topics) {
        ensureTopics(admin, topics, TopicReplication.BROKER_DEFAULTS);
    }

    /** The topics, with {@code replication}; topics this client may not create are left to others. */
    public static void ensureTopics(Admin admin, TopicNames topics, TopicReplication replication) {
        create(admin, newTopics(topics, replication), replication);
    }

    /** The prediction topics of {@code streamtrain serve} and the dead-letter topic, each with its configs. */
    public static void ensureTopics(Admin admin, PredictTopics topics, TopicReplication replication) {
        create(admin, newTopics(topics, replication), replication);
    }

    /** Creates the missing topics; returns those it may not create (which may or may not exist), in pipeline order. */
    private static List<String> create(Admin admin, List<NewTopic> wanted, TopicReplication replication) {
        Map<TopicPartition, OffsetSpec> created = new HashMap<>();
        Set<String> existing = new TreeSet<>();
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
                } else if (e.getCause() instanceof TopicExistsException) {
                    existing.add(name);
                } else if (e.getCause() instanceof InvalidReplicationFactorException
                        || e.getCause() instanceof InvalidConfigurationException && !replication.isBrokerDefault()) {
                    // more replicas than the cluster has brokers, or a min.insync.replicas it refuses: bad input
                    throw new IllegalArgumentException("could not create topic " + name + " with "
                            + describe(replication) + ": " + e.getCause().getMessage(), e.getCause());
                } else {
                    throw new IllegalStateException("could not create topic " + name + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
        warnIfReplicatedOtherwise(admin, existing, replication);
        awaitLeaders(admin, created);
        return wanted.stream().map(NewTopic::name).filter(refused::contains).toList();
    }

    /** The topics of the pipeline and the dead-letter topic, each with its configs and {@code replication}. */
    static List<NewTopic> newTopics(TopicNames topics, TopicReplication replication) {
        return List.of(
                topic(topics.minibatches(), 1, TopicConfigs.minibatches(), replication),
                topic(topics.testSet(), 1, TopicConfigs.testSet(), replication),
                topic(topics.snapshots(), TopicConfigs.RUN_PARTITIONS, TopicConfigs.snapshots(), replication),
                topic(topics.metrics(), TopicConfigs.RUN_PARTITIONS, TopicConfigs.metrics(), replication),
                topic(topics.runs(), 1, TopicConfigs.runs(), replication),
                topic(DeadLetters.TOPIC, 1, TopicConfigs.deadLetters(), replication));
    }

    /** The prediction topics and the dead-letter topic (poison requests go there), each with its configs. */
    static List<NewTopic> newTopics(PredictTopics topics, TopicReplication replication) {
        return List.of(
                topic(topics.requests(), TopicConfigs.PREDICT_PARTITIONS, TopicConfigs.predictions(), replication),
                topic(topics.predictions(), TopicConfigs.PREDICT_PARTITIONS, TopicConfigs.predictions(), replication),
                topic(DeadLetters.TOPIC, 1, TopicConfigs.deadLetters(), replication));
    }

    /**
     * One WARN for each topic of {@code existing} whose replication factor or {@code min.insync.replicas}
     * is not the one {@code replication} asks for: it stays as it is. Nothing is asked of the cluster
     * when {@code replication} is the broker's default; a cluster that will not describe the topics
     * (e.g. no Describe ACL) gets a note at DEBUG, not a failure.
     */
    private static void warnIfReplicatedOtherwise(Admin admin, Set<String> existing, TopicReplication replication) {
        if (existing.isEmpty() || replication.isBrokerDefault()) {
            return;
        }
        Map<String, TopicDescription> descriptions;
        Map<ConfigResource, Config> configs = Map.of();
        try {
            descriptions = admin.describeTopics(existing).allTopicNames().get();
            if (replication.minInsyncReplicas().isPresent()) {
                configs = admin.describeConfigs(existing.stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get();
            }
        } catch (ExecutionException e) {
            log.debug("could not describe existing topics {} to compare their replication: {}", existing,
                    e.getCause().getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics " + existing, e);
        }
        for (String topic : existing) {
            int actualFactor = descriptions.get(topic).partitions().get(0).replicas().size();
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
            ConfigEntry minIsr = config == null ? null : config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            String differs = differences(replication, actualFactor, minIsr == null ? null : minIsr.value());
            if (!differs.isEmpty()) {
                log.warn("topic {} already exists with {}: it is left as it is", topic, differs);
            }
        }
    }

    /**
     * What of {@code replication} an existing topic does not have, e.g. {@code "replication factor 1,
     * not the 3 asked for (--replication-factor)"}; empty if nothing.
     */
    static String differences(TopicReplication replication, int actualFactor, String actualMinIsr) {
        StringBuilder s = new StringBuilder();
        replication.replicationFactor().ifPresent(asked -> {
            if (asked != actualFactor) {
                s.append("replication factor ").append(actualFactor).append(", not the ").append(asked)
                        .append(" asked for (").append(TopicReplication.REPLICATION_FACTOR_OPTION).append(')');
            }
        });
        replication.minInsyncReplicas().ifPresent(asked -> {
            if (actualMinIsr != null && !actualMinIsr.equals(Integer.toString(asked))) {
                s.append(s.isEmpty() ? "" : " and ").append(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).append(' ')
                        .append(actualMinIsr).append(", not the ").append(asked).append(" asked for (")
                        .append(TopicReplication.MIN_INSYNC_REPLICAS_OPTION).append(')');
            }
        });
        return s.toString();
    }

    private static String describe(TopicReplication replication) {
        StringBuilder s = new StringBuilder();
        replication.replicationFactor().ifPresent(rf -> s.append("replication factor ").append(rf).append(" (")
                .append(TopicReplication.REPLICATION_FACTOR_OPTION).append(')'));
        replication.minInsyncReplicas().ifPresent(min -> s.append(s.isEmpty() ? "" : " and ")
                .append(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).append(' ').append(min).append(" (")
                .append(TopicReplication.MIN_INSYNC_REPLICAS_OPTION).append(')'));
        return s.isEmpty() ? "the broker's default replication" : s.toString();
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

    private static NewTopic topic(String name, int partitions, Map<String, String> configs,
                                  TopicReplication replication) {
        // An empty replication factor is the broker's default.
        return new NewTopic(name, Optional.of(partitions), replication.newTopicReplicationFactor())
                .configs(replication.withTopicConfigs(configs));
    }
}
