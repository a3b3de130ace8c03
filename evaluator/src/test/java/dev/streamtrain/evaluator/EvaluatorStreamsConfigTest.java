package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the evaluator asks of Kafka Streams for its own topics. */
class EvaluatorStreamsConfigTest {

    private static final KafkaSettings KAFKA = KafkaSettings.of("unused:9092");

    private static Map<String, Object> config(TopicReplication replication) {
        return EvaluatorService.streamsConfig(KAFKA, new EvaluatorSettings("e", Path.of("streams"),
                TopicNames.DEFAULT, Duration.ofSeconds(1), 1, replication));
    }

    @Test
    void streamsOwnTopicsAreReplicatedAsThePipelines() {
        Map<String, Object> config = config(TopicReplication.of(3, 2));
        assertThat(config).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
                .containsEntry("topic.min.insync.replicas", 2);
        // what Streams makes of it: the changelog's replication factor and topic config
        StreamsConfig streams = new StreamsConfig(config);
        assertThat(streams.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(streams.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX)).containsEntry("min.insync.replicas", 2);
    }

    @Test
    void theBrokersDefaultsLeaveStreamsToItsOwn() {
        Map<String, Object> config = config(TopicReplication.BROKER_DEFAULTS);
        assertThat(config).doesNotContainKeys(StreamsConfig.REPLICATION_FACTOR_CONFIG, "topic.min.insync.replicas");
        assertThat(new StreamsConfig(config).getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG))
                .as("Streams' default: the broker's").isEqualTo(-1);
    }

    @Test
    void theOptionWinsOverTheSameKafkaConfigGivenWithX() {
        KafkaSettings kafka = new KafkaSettings(Map.of("bootstrap.servers", "unused:9092",
                StreamsConfig.REPLICATION_FACTOR_CONFIG, "1"));
        Map<String, Object> config = EvaluatorService.streamsConfig(kafka, new EvaluatorSettings("e",
                Path.of("streams"), TopicNames.DEFAULT, Duration.ofSeconds(1), 1, TopicReplication.of(3, 2)));
        assertThat(config).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        Map<String, Object> unasked = EvaluatorService.streamsConfig(kafka, new EvaluatorSettings("e",
                Path.of("streams"), TopicNames.DEFAULT, Duration.ofSeconds(1), 1));
        assertThat(unasked).as("-X alone still passes through").containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG,
                "1");
    }
}
