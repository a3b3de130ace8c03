package dev.streamtrain.contracts.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterAccessExceptionTest {

    private static final Map<String, Object> TRAINER = Map.of(
            "bootstrap.servers", "127.0.0.1:9092",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"trainer\" password=\"trainer-secret\";");
    private static final String HINT = " (the ACLs each service needs: README, Security)";

    @Test
    void thePrincipalIsTheSaslLoginsUserOrWhatTheProtocolMakesIt() {
        Map<Map<String, Object>, String> cases = Map.of(
                TRAINER, "User:trainer",
                Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\\\"b\" "
                                + "password=\"x\";"), "User:a\"b",
                Map.of(), "User:ANONYMOUS",
                Map.of("security.protocol", "SSL"), "this client's TLS principal",
                Map.of("security.protocol", "SASL_SSL"), "this client's GSSAPI principal",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config",
                        "not jaas at all"), "this client's SCRAM-SHA-256 principal");
        cases.forEach((config, principal) -> assertThat(ClusterAccessException.principal(config)).as("%s", config)
                .isEqualTo(principal));
    }

    @Test
    void aRefusalNamesThePrincipalTheOperationAndTheResource() {
        Access trainer = Access.writingTransactionally("streamtrain-trainer-r1").on("streamtrain.minibatches", "READ");
        Map<RuntimeException, String> cases = Map.of(
                new TopicAuthorizationException(Set.of("streamtrain.snapshots")),
                "User:trainer is not authorized to WRITE topic streamtrain.snapshots",
                new TopicAuthorizationException(Set.of("streamtrain.runs", "streamtrain.minibatches", "streamtrain.dlq")),
                "User:trainer is not authorized to READ topic streamtrain.minibatches and WRITE topics "
                        + "streamtrain.dlq, streamtrain.runs",
                new KafkaException("publishing failed", new GroupAuthorizationException("no", "streamtrain-trainer-r1")),
                "User:trainer is not authorized to READ group streamtrain-trainer-r1",
                new TransactionalIdAuthorizationException("Transactional Id authorization failed."),
                "User:trainer is not authorized to WRITE transactional id streamtrain-trainer-r1",
                new ClusterAuthorizationException("Cluster authorization failed."),
                "User:trainer is not authorized to IDEMPOTENT_WRITE (or WRITE on a topic) on the cluster",
                // Kafka Streams names the topic in its own exception only
                new KafkaException("Could not create topic streamtrain.minibatches.",
                        new TopicAuthorizationException("Authorization failed.")),
                "User:trainer is not authorized to READ topic streamtrain.minibatches");
        cases.forEach((failure, message) -> assertThat(ClusterAccessException.of(failure, TRAINER, trainer))
                .as(failure.toString()).get().extracting(Throwable::getMessage).isEqualTo(message + HINT));
    }

    @Test
    void aFailedLoginNamesTheUserTheClusterAndWhatToCheck() {
        assertThat(ClusterAccessException.of(new SaslAuthenticationException("Authentication failed during "
                + "authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"), TRAINER,
                Access.describing())).get().extracting(Throwable::getMessage).isEqualTo("authentication failed for "
                + "User:trainer at 127.0.0.1:9092 (SASL_SSL, SCRAM-SHA-512): Authentication failed during "
                + "authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512; check the user name "
                + "and password in sasl.jaas.config (--kafka-config)");
        assertThat(ClusterAccessException.of(new SslAuthenticationException("SSL handshake failed"), TRAINER,
                Access.describing())).get().extracting(Throwable::getMessage).isEqualTo("authentication failed for "
                + "User:trainer at 127.0.0.1:9092 (TLS): SSL handshake failed; check ssl.truststore.location and the "
                + "broker's certificate (--kafka-config)");
    }

    @Test
    void otherFailuresAreLeftAsTheyAreAndAnExplainedOneIsFoundAmongCauses() {
        TimeoutException timeout = new TimeoutException("slow");
        assertThat(ClusterAccessException.of(timeout, TRAINER, Access.reading())).isEmpty();
        assertThat(ClusterAccessException.explain(timeout, TRAINER, Access.reading())).isSameAs(timeout);
        ClusterAccessException refused = ClusterAccessException.of(new TopicAuthorizationException(Set.of("t")),
                TRAINER, Access.reading()).orElseThrow();
        IllegalStateException wrapped = new IllegalStateException("run failed", refused);
        assertThat(ClusterAccessException.in(wrapped)).containsSame(refused);
        assertThat(ClusterAccessException.of(wrapped, Map.of(), Access.writing())).containsSame(refused);
        assertThat(ClusterAccessException.in(timeout)).isEmpty();
    }
}
