package dev.streamtrain.trainer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.kafka.ConnectionWatch;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A trainer waiting on its stream says at WARN when the cluster goes away and when it is back,
 * instead of waiting in silence: the broker is stopped under it and started again on the same port.
 */
class MinibatchSourceConnectionTest {

    @TempDir
    Path state;

    @Test
    void theTrainerSaysWhenItLosesTheClusterAndWhenItHasItBack() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Logger logger = (Logger) LoggerFactory.getLogger(ConnectionWatch.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).port(port).build().start();
        KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), TopicNames.DEFAULT);
        try (MinibatchSource source = new MinibatchSource(kafka, TopicNames.DEFAULT_MINIBATCHES, "s", "g",
                Duration.ofMillis(200))) {
            source.seek(OptionalLong.of(0));
            CompletableFuture<StreamedBatch> waiting = CompletableFuture.supplyAsync(source::next);
            await().atMost(Duration.ofSeconds(30)).until(source::connected);
            assertThat(messages(logs)).isEmpty();

            broker.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> messages(logs).contains("trainer: lost its connection "
                    + "to the Kafka cluster at 127.0.0.1:" + port + "; retrying until it is back"));
            broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).port(port).build().start();
            await().atMost(Duration.ofSeconds(90)).until(() -> messages(logs).contains("trainer: reconnected to the "
                    + "Kafka cluster at 127.0.0.1:" + port + " after"));
            source.wakeup();
            assertThat(waiting).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(Exception.class)
                    .withRootCauseInstanceOf(WakeupException.class);
        } finally {
            broker.close();
            logger.detachAppender(logs);
        }
    }

    private static String messages(ListAppender<ILoggingEvent> logs) {
        return String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}
