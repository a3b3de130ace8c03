package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the Kafka cluster is and any of Kafka's own client configs, passed through unchanged. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092 (the address 'streamtrain broker' prints).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, any client config).")
    Path kafkaConfig;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "A Kafka client config, e.g. -X compression.type=zstd; overrides --kafka-config.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The settings, or an error naming the missing option. */
    public KafkaSettings settings() {
        Map<String, String> config = new HashMap<>();
        if (kafkaConfig != null) {
            try {
                config.putAll(KafkaSettings.readPropertiesFile(kafkaConfig));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage(), e);
            }
        }
        config.putAll(properties);
        if (bootstrapServers != null) {
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (!config.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("no Kafka cluster given: pass --bootstrap-servers HOST:PORT (start one"
                    + " with 'streamtrain broker'), or run everything in one process with 'streamtrain local'");
        }
        return new KafkaSettings(config);
    }
}
