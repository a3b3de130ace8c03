package dev.streamtrain.launcher;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The pipeline contract on the official {@code apache/kafka} image through Testcontainers. Skipped
 * (not failed) where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class PipelineOnKafkaContainerTest extends PipelineContract {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }

    @Override
    String topicPrefix() {
        return "";
    }
}
