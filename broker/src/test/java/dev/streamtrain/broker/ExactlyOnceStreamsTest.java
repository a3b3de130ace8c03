package dev.streamtrain.broker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static dev.streamtrain.broker.TestClients.createTopic;
import static dev.streamtrain.broker.TestClients.readAll;
import static dev.streamtrain.broker.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;

/** The broker's single-replica internal topics are enough for Kafka Streams exactly_once_v2. */
class ExactlyOnceStreamsTest {

    @TempDir
    Path stateDir;

    @TempDir
    Path streamsStateDir;

    @Test
    void exactlyOnceV2StreamsAppCommitsItsOutput() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).build().start()) {
            createTopic(broker, "words");
            createTopic(broker, "shouted");
            StreamsBuilder topology = new StreamsBuilder();
            topology.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                    .mapValues(word -> word.toUpperCase(Locale.ROOT))
                    .to("shouted", Produced.with(Serdes.String(), Serdes.String()));

            try (KafkaStreams streams = new KafkaStreams(topology.build(), streamsConfig(broker))) {
                streams.start();
                send(broker, "words", "k", "hello");

                assertThat(readAll(broker, "shouted", 1, "read_committed"))
                        .extracting(ConsumerRecord::value).containsExactly("HELLO");
                streams.close(Duration.ofSeconds(30));
            }
        }
    }

    private Properties streamsConfig(EmbeddedKafkaBroker broker) {
        Properties config = new Properties();
        config.putAll(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "shouter",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.STATE_DIR_CONFIG, streamsStateDir.toString()));
        return config;
    }
}
