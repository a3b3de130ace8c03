package dev.streamtrain.launcher.options;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the Kafka cluster is (or the state dir of the embedded one) and any of Kafka's own client
 * configs, passed through unchanged.
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092 (the address 'streamtrain broker' prints); "
                    + "default: an embedded broker over --state-dir.")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, any client config).")
    Path kafkaConfig;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".streamtrain",
            description = "With no --bootstrap-servers: the embedded broker's data is DIR/kafka (what 'local' left "
                    + "there); Kafka Streams state is DIR/streams (default: ${DEFAULT-VALUE}).")
    public Path stateDir;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long to wait for the cluster given with --bootstrap-servers to answer before giving up "
                    + "(default: ${DEFAULT-VALUE}; e.g. 500ms, 30s, 2m).")
    Duration connectTimeout;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "A Kafka client config, e.g. -X compression.type=zstd; overrides --kafka-config.")
    Map<String, String> properties = new LinkedHashMap<>();

    /**
     * Connects to the cluster given with --bootstrap-servers (or in --kafka-config), else starts the
     * embedded broker over {@code --state-dir}.
     */
    public ClusterConnection connect() {
        Map<String, String> config = userConfig();
        if (config.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            KafkaSettings settings = new KafkaSettings(config);
            ClusterReachability.require(settings, connectTimeout);
            return new ClusterConnection(settings, null);
        }
        Path data = stateDir.resolve("kafka");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(data).build();
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw new IllegalArgumentException("no --bootstrap-servers given, and the embedded broker over "
                    + data.toAbsolutePath() + " could not start: " + e.getMessage()
                    + " (if 'streamtrain broker' runs there, pass its --bootstrap-servers)", e);
        }
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new ClusterConnection(new KafkaSettings(config), broker);
    }

    private Map<String, String> userConfig() {
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
        return config;
    }
}
