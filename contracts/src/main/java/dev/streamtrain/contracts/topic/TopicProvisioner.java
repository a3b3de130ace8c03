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
                topic(topics.minibatches(), TopicConfigs.minibatches()),
                topic(topics.testSet(), TopicConfigs.testSet()),
                topic(topics.snapshots(), TopicConfigs.snapshots()),
                topic(topics.metrics(), TopicConfigs.metrics()),
                topic(topics.runs(), TopicConfigs.runs()));
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

    private static NewTopic topic(String name, Map<String, String> configs) {
        // One partition: a minibatch stream is ordered; broker's default replication factor.
        return new NewTopic(name, Optional.of(1), Optional.empty()).configs(configs);
    }
}
