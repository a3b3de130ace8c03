package dev.streamtrain.contracts.topic;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Creates the pipeline's topics with their explicit configs ({@link TopicConfigs}); a topic that
 * already exists is left as it is. Every service calls this at start, so any start order works.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    public static void ensureTopics(Map<String, Object> adminConfig, TopicNames topics) {
        try (Admin admin = Admin.create(adminConfig)) {
            ensureTopics(admin, topics);
        }
    }

    public static void ensureTopics(Admin admin, TopicNames topics) {
        List<NewTopic> wanted = List.of(
                topic(topics.minibatches(), 1, TopicConfigs.minibatches()),
                topic(topics.testSet(), 1, TopicConfigs.testSet()),
                topic(topics.snapshots(), TopicConfigs.RUN_PARTITIONS, TopicConfigs.snapshots()),
                topic(topics.metrics(), TopicConfigs.RUN_PARTITIONS, TopicConfigs.metrics()),
                topic(topics.runs(), 1, TopicConfigs.runs()));
        admin.createTopics(wanted).values().forEach((name, future) -> {
            try {
                future.get();
                log.info("created topic {}", name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
    }

    private static NewTopic topic(String name, int partitions, Map<String, String> configs) {
        // The broker's default replication factor.
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
}
