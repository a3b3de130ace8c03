package dev.streamtrain.contracts.topic;

import dev.streamtrain.contracts.kafka.DeadLetters;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The topics as they are asked of the cluster; the integration test against a broker is MinibatchProducerTest's. */
class TopicProvisionerTest {

    private static final TopicNames TOPICS = TopicNames.DEFAULT.withPrefix("p.");

    @Test
    void everyTopicIsAskedForWithTheReplication() {
        List<NewTopic> topics = TopicProvisioner.newTopics(TOPICS, TopicReplication.of(3, 2));
        assertThat(topics).extracting(NewTopic::name).containsExactly(TOPICS.minibatches(), TOPICS.testSet(),
                TOPICS.snapshots(), TOPICS.metrics(), TOPICS.runs(), DeadLetters.TOPIC);
        assertThat(topics).allSatisfy(t -> {
            assertThat(t.replicationFactor()).as(t.name()).isEqualTo((short) 3);
            assertThat(t.configs()).as(t.name()).containsEntry("min.insync.replicas", "2");
        });
        // the topic's own configs stay
        assertThat(topics.get(2).configs()).containsEntry("max.message.bytes", "67108864")
                .containsEntry("retention.ms", "-1");
        assertThat(topics.get(4).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics).extracting(NewTopic::numPartitions).containsExactly(1, 1, 4, 4, 1, 1);
    }

    @Test
    void thePredictionTopicsHaveAsManyPartitionsAndTheirConfigs() {
        PredictTopics predict = PredictTopics.DEFAULT;
        List<NewTopic> topics = TopicProvisioner.newTopics(predict, TopicReplication.of(3, 2));
        assertThat(topics).extracting(NewTopic::name).containsExactly(TopicNames.DEFAULT_PREDICT_REQUESTS,
                TopicNames.DEFAULT_PREDICTIONS, DeadLetters.TOPIC);
        assertThat(topics).extracting(NewTopic::numPartitions).containsExactly(4, 4, 1);
        assertThat(topics.subList(0, 2)).allSatisfy(t -> assertThat(t.configs()).as(t.name())
                .containsEntry("max.message.bytes", "8388608").containsEntry("retention.ms", "604800000")
                .containsEntry("min.insync.replicas", "2"));
        assertThat(topics).allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 3));
    }

    @Test
    void predictionTopicsAreLegalAndDistinct() {
        assertThat(new PredictTopics("a.requests", "a.predictions").requests()).isEqualTo("a.requests");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new PredictTopics("same", "same")).withMessageContaining("must differ");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new PredictTopics("bad topic", "ok")).withMessageContaining("'requests'");
    }

    @Test
    void theBrokersDefaultsAskForNeither() {
        List<NewTopic> topics = TopicProvisioner.newTopics(TOPICS, TopicReplication.BROKER_DEFAULTS);
        assertThat(topics).allSatisfy(t -> {
            // NewTopic's "broker default" replication factor
            assertThat(t.replicationFactor()).as(t.name()).isEqualTo(new NewTopic("x", Optional.of(1),
                    Optional.empty()).replicationFactor());
            assertThat(t.configs()).as(t.name()).doesNotContainKey("min.insync.replicas");
        });
        assertThat(topics.get(0).configs()).isEqualTo(TopicConfigs.minibatches());
    }

    @Test
    void anExistingTopicsDifferencesNameWhatItHasAndWhatWasAsked() {
        TopicReplication asked = TopicReplication.of(3, 2);
        assertThat(TopicProvisioner.differences(asked, 3, "2")).isEmpty();
        assertThat(TopicProvisioner.differences(asked, 1, "2"))
                .isEqualTo("replication factor 1, not the 3 asked for (--replication-factor)");
        assertThat(TopicProvisioner.differences(asked, 1, "1"))
                .isEqualTo("replication factor 1, not the 3 asked for (--replication-factor) and "
                        + "min.insync.replicas 1, not the 2 asked for (--min-insync-replicas)");
        assertThat(TopicProvisioner.differences(asked, 3, null)).as("configs not described").isEmpty();
        assertThat(TopicProvisioner.differences(TopicReplication.ofNullable(null, 2), 1, "2"))
                .as("the replication factor left to the broker is not compared").isEmpty();
    }
}
