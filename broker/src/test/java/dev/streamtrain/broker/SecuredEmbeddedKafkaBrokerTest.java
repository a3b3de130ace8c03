package dev.streamtrain.broker;

import dev.streamtrain.broker.testing.TestCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The embedded broker with SASL/SCRAM, ACLs and TLS, against Kafka's own clients. */
class SecuredEmbeddedKafkaBrokerTest {

    private static final BrokerSecurity USERS = BrokerSecurity.scram(
            Map.of("admin", "admin-secret", "alice", "alice-secret", "bob", "bob-secret"), List.of("admin"));

    @TempDir
    Path stateDir;

    @Test
    void usersLogInWithTheirPasswordsAndNeedAclsForWhatTheyDoTransactionsIncluded() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).security(USERS).build().start()) {
            assertThat(broker.securityProtocol()).isEqualTo("SASL_PLAINTEXT");
            assertThat(clusterId(broker.clientConfig("alice"))).isEqualTo(broker.clusterId());
            Map<String, Object> wrong = withPassword(broker.clientConfig("alice"), "alice-secret", "guess");
            assertThatThrownBy(() -> clusterId(wrong)).hasRootCauseInstanceOf(SaslAuthenticationException.class);

            try (Admin alice = Admin.create(broker.clientConfig("alice"))) {
                assertThatThrownBy(() -> alice.createTopics(List.of(new NewTopic("tx", 1, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            try (Admin admin = Admin.create(broker.clientConfig("admin"))) {
                admin.createTopics(List.of(new NewTopic("tx", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                admin.createAcls(List.of(
                        allow("alice", ResourceType.TOPIC, "tx", AclOperation.WRITE),
                        allow("alice", ResourceType.TOPIC, "tx", AclOperation.READ),
                        allow("alice", ResourceType.TRANSACTIONAL_ID, "alice-tx", AclOperation.WRITE)))
                        .all().get(30, TimeUnit.SECONDS);
            }

            // A committed transaction needs the transaction coordinator's markers: the broker's own listener.
            Map<String, Object> producerConfig = new HashMap<>(broker.clientConfig("alice"));
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-tx");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "k", "committed"));
                producer.commitTransaction();
            }
            assertThat(readCommitted(broker.clientConfig("alice"), "tx", 1)).containsExactly("committed");
            assertThatThrownBy(() -> readCommitted(broker.clientConfig("bob"), "tx", 1))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aRestartKeepsTheAclsAndMakesTheUsersThoseGivenNow() throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder(stateDir).security(USERS).build().start();
             Admin admin = Admin.create(first.clientConfig("admin"))) {
            admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(allow("alice", ResourceType.TOPIC, "kept", AclOperation.WRITE)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        BrokerSecurity changed = BrokerSecurity.scram(Map.of("admin", "admin-secret", "alice", "alice-new"),
                List.of("admin"));
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder(stateDir).security(changed).build().start()) {
            Map<String, Object> alice = second.clientConfig("alice");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(alice, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> clusterId(withPassword(alice, "alice-new", "alice-secret")))
                    .as("the old password").hasRootCauseInstanceOf(SaslAuthenticationException.class);
            Map<String, Object> bob = new HashMap<>(USERS.clientConfig("bob"));
            bob.put("bootstrap.servers", second.bootstrapServers());
            assertThatThrownBy(() -> clusterId(bob)).as("a user no longer in the list")
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void saslSslWithAKeyStoreFromKeytool(@TempDir Path certificates) throws Exception {
        BrokerSecurity.Tls tls = TestCertificates.selfSigned(certificates, "ip:127.0.0.1,dns:localhost");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).security(USERS.withTls(tls)).build()
                .start(); Admin admin = Admin.create(broker.clientConfig("admin"))) {
            assertThat(broker.securityProtocol()).isEqualTo("SASL_SSL");
            assertThat(broker.clientConfig("alice")).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("ssl.truststore.location", certificates.resolve("truststore.p12").toString());
            admin.createTopics(List.of(new NewTopic("tls", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(allow("alice", ResourceType.TOPIC, "tls", AclOperation.WRITE),
                    allow("alice", ResourceType.TOPIC, "tls", AclOperation.READ))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.clientConfig("alice"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("tls", "k", "over tls")).get(30, TimeUnit.SECONDS);
            }
            assertThat(readCommitted(broker.clientConfig("alice"), "tls", 1)).containsExactly("over tls");
        }
    }

    @Test
    void aCertificateThatDoesNotName127001FailsTheStartSayingSo(@TempDir Path certificates) throws Exception {
        BrokerSecurity.Tls tls = TestCertificates.selfSigned(certificates, "dns:elsewhere.example");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).security(USERS.withTls(tls))
                .startupTimeout(Duration.ofSeconds(30)).build();
        assertThatThrownBy(broker::start).isInstanceOf(BrokerStartupException.class)
                .hasMessageContaining("TLS handshake").hasMessageContaining("subject alternative names");
        broker.close();
    }

    @Test
    void securityIsCheckedWhenMade() {
        assertThatThrownBy(() -> BrokerSecurity.scram(Map.of("alice", "a"), List.of("admin")))
                .hasMessage("super user admin is not one of the SASL users [alice]; it needs a password there");
        assertThatThrownBy(() -> BrokerSecurity.scram(Map.of("alice", "a"), List.of()))
                .hasMessageContaining("needs a super user");
        assertThatThrownBy(() -> BrokerSecurity.scram(Map.of("streamtrain-broker", "a"), List.of("streamtrain-broker")))
                .hasMessageContaining("reserved for the broker itself");
        assertThat(USERS.toString()).doesNotContain("secret");
        assertThat(USERS.clientConfig("alice").get("sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" "
                        + "password=\"alice-secret\";");
        assertThat(BrokerSecurity.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    private static Map<String, Object> withPassword(Map<String, Object> config, String password, String instead) {
        Map<String, Object> changed = new HashMap<>(config);
        changed.put("sasl.jaas.config", String.valueOf(config.get("sasl.jaas.config"))
                .replace("password=\"" + password + "\"", "password=\"" + instead + "\""));
        return changed;
    }

    private static String clusterId(Map<String, Object> config) throws Exception {
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e;
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static List<String> readCommitted(Map<String, Object> login, String topic, int expected) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }
}
