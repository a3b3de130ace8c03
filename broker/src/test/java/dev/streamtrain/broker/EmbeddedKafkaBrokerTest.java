package dev.streamtrain.broker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.streamtrain.broker.TestClients.createTopic;
import static dev.streamtrain.broker.TestClients.readAll;
import static dev.streamtrain.broker.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class EmbeddedKafkaBrokerTest {

    @TempDir
    Path stateDir;

    @Test
    void producesAndConsumesAString() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).build().start()) {
            assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(broker.stateDir()).isEqualTo(stateDir.toAbsolutePath());
            createTopic(broker, "greetings");

            send(broker, "greetings", "k", "hello");

            assertThat(readAll(broker, "greetings", 1, "read_uncommitted"))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("k", "hello"));
        }
    }

    @Test
    void keepsDataAndClusterIdAcrossRestartsOnOtherPorts() throws Exception {
        String clusterId;
        String firstAddress;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder(stateDir).build().start()) {
            clusterId = first.clusterId();
            firstAddress = first.bootstrapServers();
            createTopic(first, "durable");
            send(first, "durable", "k", "before restart");
        }
        assertThat(stateDir.resolve("kafka-logs/meta.properties")).isRegularFile();

        int port = freePortOtherThan(firstAddress);
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder(stateDir).port(port).build().start()) {
            assertThat(second.bootstrapServers()).isEqualTo("127.0.0.1:" + port).isNotEqualTo(firstAddress);
            assertThat(second.clusterId()).isEqualTo(clusterId);
            assertThat(TestClients.clusterIdSeenByAdmin(second)).isEqualTo(clusterId);

            send(second, "durable", "k", "after restart");

            assertThat(readAll(second, "durable", 2, "read_uncommitted"))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("before restart", "after restart");
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedButNotAbortedTransactions() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).build().start()) {
            createTopic(broker, "tx");
            try (KafkaProducer<String, String> producer = TestClients.producer(broker,
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "k", "aborted"));
                producer.flush(); // written to the log, then aborted (unflushed records would just be dropped)
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "k", "committed"));
                producer.commitTransaction();
            }

            List<ConsumerRecord<String, String>> committed = readAll(broker, "tx", 1, "read_committed");
            assertThat(committed).extracting(ConsumerRecord::value).containsExactly("committed");
            assertThat(readAll(broker, "tx", 2, "read_uncommitted"))
                    .extracting(ConsumerRecord::value).containsExactly("aborted", "committed");
        }
    }

    @Test
    void failsNamingThePortWhenTheClientPortIsTaken() throws Exception {
        try (ServerSocket taken = bindLoopback()) {
            int port = taken.getLocalPort();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).port(port).build();

            assertThatThrownBy(broker::start)
                    .isInstanceOf(BrokerStartupException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("--port");
            broker.close();
        }
    }

    @Test
    void failsNamingThePortWhenTheControllerPortIsTaken() throws Exception {
        try (ServerSocket taken = bindLoopback()) {
            int port = taken.getLocalPort();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).controllerPort(port).build();

            assertThatThrownBy(broker::start)
                    .isInstanceOf(BrokerStartupException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("--controller-port");
        }
    }

    @Test
    void refusesASecondBrokerOnTheSameStateDirAndLeavesTheFirstRunning() throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder(stateDir).build().start()) {
            EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder(stateDir).build();

            assertThatThrownBy(second::start)
                    .isInstanceOf(BrokerStartupException.class)
                    .hasMessageContaining(stateDir.toAbsolutePath().toString())
                    .hasMessageContaining("in use");

            createTopic(first, "still-alive");
            send(first, "still-alive", "k", "v");
            assertThat(readAll(first, "still-alive", 1, "read_uncommitted")).hasSize(1);
        }
        // The lock goes with the broker: the next one starts.
        EmbeddedKafkaBroker.builder(stateDir).build().start().close();
    }

    @Test
    void closeIsIdempotentAndStartIsOnceOnly() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).build();
        assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class);
        broker.start();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class);
        broker.close();
        broker.close();
    }

    private static ServerSocket bindLoopback() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    private static int freePortOtherThan(String address) throws Exception {
        int used = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        while (true) {
            try (ServerSocket socket = bindLoopback()) {
                if (socket.getLocalPort() != used) {
                    return socket.getLocalPort();
                }
            }
        }
    }
}
