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
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.RunRecordSerializer;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.producer.MinibatchSlicer;
import dev.streamtrain.producer.StreamPlan;
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
    void trainSkipsABadMinibatchOnlyWhenAskedAndReplayReproducesTheRunThatDid() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics);
        int samples = 320;
        int batch = 32;
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, samples, 1);
        Sampling sampling = new Sampling(true, false, 5, 0);
        StreamPlan plan = new StreamPlan(samples, sampling, batch);
        MinibatchSlicer slicer = new MinibatchSlicer(data, Split.TRAIN, samples, batch, plan.batchesPerEpoch(),
                sampling);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.layered(Map.of(), Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int b = 0; b < plan.batchesPerEpoch(); b++) {
                byte[] value = b == 4 ? new byte[] {'S', 'T', 'M', 'B', 0, 9} // damaged: a header cut short
                        : new MinibatchSerializer().serialize(topics.minibatches(), slicer.batch(1, 1, b,
                        plan.epochOrder(1)));
                send(producer, topics.minibatches(), "s", value);
            }
        }
        String[] cluster = {"--bootstrap-servers", KAFKA.bootstrapServers(), "--minibatch-topic", topics.minibatches(),
            "--test-topic", topics.testSet(), "--snapshot-topic", topics.snapshots(), "--metrics-topic",
            topics.metrics(), "--runs-topic", topics.runs()};

        CommandRun strict = CommandRun.of(concat(new String[] {"train", "--stream", "s", "--run-id", "strict"},
                cluster));
        assertThat(strict.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(strict.err()).contains("error: cannot decode minibatch at " + topics.minibatches()
                + "-0 offset 4").contains("(--on-bad-minibatch skip trains on without it)");

        CommandRun skip = CommandRun.of(concat(new String[] {"train", "--stream", "s", "--run-id", "skipping",
            "--on-bad-minibatch", "skip", "--snapshot-every", "3"}, cluster));
        assertThat(skip.exitCode()).as(skip.err()).isZero();
        assertThat(skip.out()).contains("9 steps");
        assertThat(RunsTopicReader.find(kafka, topics.runs(), "skipping").orElseThrow().skippedOffsets())
                .containsExactly(4L);

        CommandRun replay = CommandRun.of(concat(new String[] {"replay", "--run", "skipping", "--as", "again"},
                cluster));
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("skipping the bad minibatches the run skipped (--on-bad-minibatch skip), "
                + "at offsets [4]").contains("reproduced: 3/3 snapshots bit-identical");

        CommandRun typo = CommandRun.of(concat(new String[] {"train", "--stream", "s", "--on-bad-minibatch",
            "ignore"}, cluster));
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(typo.err()).contains("'ignore' is not a policy; use one of fail, skip");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

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
