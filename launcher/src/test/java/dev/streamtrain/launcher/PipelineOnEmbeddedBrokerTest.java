package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipeline contract on the in-JVM KRaft broker: runs everywhere. */
class PipelineOnEmbeddedBrokerTest extends PipelineContract {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @Override
    String bootstrapServers() {
        return KAFKA.bootstrapServers();
    }

    @Override
    String topicPrefix() {
        return KAFKA.uniquePrefix();
    }
}
