package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.RunRecordSerializer;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records another client wrote onto the runs and metrics topics (random bytes, bad JSON, a valid
 * record under another run's key) no longer stop {@code runs}, {@code report} or the trainer's run
 * lookup: each reader skips them (and logs it once per process), and the dead-letter topic holds a
 * copy of each, one however often they are read.
 */
class PoisonRecordsCommandsTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @Test
    void runsReportAndTheRunLookupSkipPoisonAndShowEveryOtherRun(@TempDir Path dir) throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics);
        RunRecord good = RunRecord.started(RunSpecFixture.spec("good"), topics.minibatches(), 0, 1_000)
                .withSnapshot(RunStatus.FINISHED, 10, 9, 640, 1, 0, "ab".repeat(32), 2_000);
        RunRecord other = RunRecord.started(RunSpecFixture.spec("other"), topics.minibatches(), 0, 1_000);
        TestMetrics metrics = new TestMetrics("good", "fashion-mnist", "tutorial-mlp", 1, 10, 640, true, true, 0.437,
                2.165053, 10_000, "ab".repeat(32), 0, 0, 2.302296);
        byte[] random = new byte[64];
        new SplittableRandom(7).nextBytes(random);
        byte[] badJson = "{\"runId\": \"good\", \"status\": ".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.layered(Map.of(), Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, topics.runs(), "ghost", random);
            send(producer, topics.runs(), "good", new RunRecordSerializer().serialize(topics.runs(), good));
            send(producer, topics.runs(), "bad", badJson);
            // run 'other''s record under the key of run 'good': must not replace good's record
            send(producer, topics.runs(), "good", new RunRecordSerializer().serialize(topics.runs(), other));
            send(producer, topics.metrics(), "good", random);
            send(producer, topics.metrics(), "good", new TestMetricsSerializer().serialize(topics.metrics(), metrics));
            send(producer, topics.metrics(), "other", new TestMetricsSerializer().serialize(topics.metrics(),
                    metrics));
        }

        assertThat(RunsTopicReader.readAll(kafka, topics.runs())).containsOnlyKeys("good")
                .containsEntry("good", good);
        CommandRun runs = CommandRun.of("runs", "--bootstrap-servers", KAFKA.bootstrapServers(), "--runs-topic",
                topics.runs(), "--metrics-topic", topics.metrics());
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).contains("good").contains("FINISHED").doesNotContain("ghost");
        CommandRun report = CommandRun.of("report", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--metrics-topic", topics.metrics(), "--runs-topic", topics.runs(), "--run", "good", "--out",
                dir.resolve("curves.png").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("43.7%");

        List<ConsumerRecord<byte[], byte[]>> letters = TopicRecords.readAll(KAFKA.bootstrapServers(),
                DeadLetters.TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer()).stream()
                .filter(r -> List.of(topics.runs(), topics.metrics()).contains(header(r, DeadLetters.HEADER_TOPIC)))
                .toList();
        // read three times (the lookup, runs, report) and copied each time, but under one key per record:
        // compaction keeps one copy of each
        Map<String, String> reasons = new TreeMap<>();
        letters.forEach(r -> reasons.put(new String(r.key(), StandardCharsets.UTF_8),
                header(r, DeadLetters.HEADER_TOPIC) + " " + header(r, DeadLetters.HEADER_REASON)));
        assertThat(reasons).hasSize(5).containsEntry(topics.runs() + "-0@0", topics.runs() + " undecodable")
                .containsEntry(topics.runs() + "-0@2", topics.runs() + " undecodable")
                .containsEntry(topics.runs() + "-0@3", topics.runs() + " key-mismatch");
        assertThat(reasons.values()).filteredOn(v -> v.startsWith(topics.metrics() + " "))
                .containsExactlyInAnyOrder(topics.metrics() + " undecodable", topics.metrics() + " key-mismatch");
        assertThat(letters).filteredOn(r -> new String(r.key(), StandardCharsets.UTF_8).equals(topics.runs() + "-0@3"))
                .isNotEmpty().allSatisfy(r -> assertThat(header(r, DeadLetters.HEADER_MESSAGE))
                        .isEqualTo("record keyed 'good' holds run 'other'"));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
