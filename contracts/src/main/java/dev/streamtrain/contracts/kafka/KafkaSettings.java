package dev.streamtrain.contracts.kafka;

import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The Kafka client configuration a user gives (bootstrap servers plus any of Kafka's own client
 * configs, from a properties file or {@code -X key=value}), passed through unchanged. Each service
 * layers it over its own tuned defaults; only the few settings a service's correctness depends on
 * (serializers, isolation, group ids) are enforced over it.
 */
public record KafkaSettings(Map<String, String> userConfig) {

    public KafkaSettings {
        userConfig = Map.copyOf(userConfig);
        if (!userConfig.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("Kafka config needs " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG
                    + " (use --bootstrap-servers host:port)");
        }
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Reads a Kafka client properties file, as {@code kafka-console-producer --producer.config} does. */
    public static Map<String, String> readPropertiesFile(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> out = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> out.put(k, properties.getProperty(k)));
        return out;
    }

    public String bootstrapServers() {
        return userConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** {@code defaults}, overridden by the user's config, overridden by {@code enforced}. */
    public Map<String, Object> layered(Map<String, ?> defaults, Map<String, ?> enforced) {
        Map<String, Object> config = new HashMap<>(defaults);
        config.putAll(userConfig);
        enforced.forEach((key, value) -> {
            Object user = userConfig.get(key);
            if (user != null && !Objects.equals(String.valueOf(user), String.valueOf(value))) {
                org.slf4j.LoggerFactory.getLogger(KafkaSettings.class)
                        .warn("ignoring Kafka config {}={}: this service needs {}", key, user, value);
            }
            config.put(key, value);
        });
        return config;
    }

    /** The user's config alone, e.g. for an Admin client. */
    public Map<String, Object> admin() {
        return new HashMap<>(userConfig);
    }
}
