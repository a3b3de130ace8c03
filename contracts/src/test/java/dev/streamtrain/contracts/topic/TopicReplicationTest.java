package dev.streamtrain.contracts.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class TopicReplicationTest {

    @Test
    void theBrokersDefaultsSetNothing() {
        TopicReplication none = TopicReplication.BROKER_DEFAULTS;
        assertThat(none.isBrokerDefault()).isTrue();
        assertThat(none.newTopicReplicationFactor()).isEmpty();
        Map<String, String> configs = Map.of("retention.ms", "-1");
        assertThat(none.withTopicConfigs(configs)).isSameAs(configs);
        assertThat(TopicReplication.ofNullable(null, null)).isEqualTo(none);
    }

    @Test
    void bothSetGiveTheReplicationFactorAndTheMinInsyncReplicasConfig() {
        TopicReplication r = TopicReplication.of(3, 2);
        assertThat(r.isBrokerDefault()).isFalse();
        assertThat(r.newTopicReplicationFactor()).contains((short) 3);
        assertThat(r.withTopicConfigs(Map.of("retention.ms", "-1")))
                .isEqualTo(Map.of("retention.ms", "-1", "min.insync.replicas", "2"));
        assertThat(TopicReplication.ofNullable(3, 2)).isEqualTo(r);
    }

    @Test
    void eitherMayBeLeftToTheBroker() {
        TopicReplication factorOnly = TopicReplication.ofNullable(3, null);
        assertThat(factorOnly.newTopicReplicationFactor()).contains((short) 3);
        assertThat(factorOnly.withTopicConfigs(Map.of())).isEmpty();
        TopicReplication minOnly = TopicReplication.ofNullable(null, 2);
        assertThat(minOnly.newTopicReplicationFactor()).isEqualTo(Optional.empty());
        assertThat(minOnly.withTopicConfigs(Map.of())).isEqualTo(Map.of("min.insync.replicas", "2"));
        assertThat(minOnly.isBrokerDefault()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "0     | -  | --replication-factor must be between 1 and 32767, got 0",
            "-1    | 1  | --replication-factor must be between 1 and 32767, got -1",
            "32768 | -  | --replication-factor must be between 1 and 32767, got 32768",
            "-     | 0  | --min-insync-replicas must be >= 1, got 0",
            "3     | 0  | --min-insync-replicas must be >= 1, got 0",
            "2     | 3  | --min-insync-replicas 3 exceeds --replication-factor 2: no write could ever be acknowledged; "
                    + "give at most 2"})
    void invalidValuesAreRefusedNamingTheOption(Integer factor, Integer min, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> TopicReplication.ofNullable(factor, min))
                .withMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"1,1", "3,1", "3,2", "3,3", "32767,1"})
    void validValuesAreKept(int factor, int min) {
        TopicReplication r = TopicReplication.of(factor, min);
        assertThat(r.replicationFactor()).hasValue(factor);
        assertThat(r.minInsyncReplicas()).hasValue(min);
    }

    @Test
    void nullIsNotAnOption() {
        assertThatNullPointerException().isThrownBy(() -> new TopicReplication(null, OptionalInt.empty()));
        assertThatNullPointerException().isThrownBy(() -> new TopicReplication(OptionalInt.empty(), null));
    }
}
