package dev.streamtrain.launcher.options;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.kafka.KafkaSettings;

/**
 * The Kafka cluster a command talks to: the one given with {@code --bootstrap-servers}, or else an
 * embedded broker over the state dir (the one {@code local} left there), started for the command
 * and stopped with it.
 */
public final class ClusterConnection implements AutoCloseable {

    private final KafkaSettings settings;
    private final EmbeddedKafkaBroker embedded;

    ClusterConnection(KafkaSettings settings, EmbeddedKafkaBroker embedded) {
        this.settings = settings;
        this.embedded = embedded;
    }

    public KafkaSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
