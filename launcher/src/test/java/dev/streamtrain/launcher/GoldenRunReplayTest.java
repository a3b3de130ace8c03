package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.golden.GoldenRun;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.SnapshotsTopicReader;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each golden run (its minibatches, test and validation sets, snapshots, metrics, run records and,
 * from 0.4 on, the evaluator's best-snapshot changelog, each record as that version wrote it) is put
 * on a broker of its own as it was, and today's commands read it: {@code replay} reproduces every
 * one of its snapshots bit for bit (train loss, train accuracy and optimizer state included);
 * {@code runs} and {@code report} show it.
 */
class GoldenRunReplayTest {

    @TempDir
    static Path states;

    static List<GoldenRun> goldenRuns() {
        return GoldenRun.all();
    }

    @BeforeAll
    static void restoreEachGoldenRunOnABroker() throws Exception {
        for (GoldenRun golden : GoldenRun.all()) {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state(golden).resolve("kafka")).build()
                    .start()) {
                KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
                TopicProvisioner.ensureTopics(kafka.admin(), TopicNames.DEFAULT);
                Set<String> topics = golden.records().stream().map(GoldenRun.Record::topic).collect(Collectors.toSet());
                if (topics.contains(GoldenRun.BEST_SNAPSHOT_CHANGELOG)) {
                    // as Kafka Streams creates it: compacted, with the snapshot topic's partitions
                    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                        admin.createTopics(List.of(new NewTopic(GoldenRun.BEST_SNAPSHOT_CHANGELOG,
                                TopicConfigs.RUN_PARTITIONS, (short) 1).configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                                .all().get();
                    }
                }
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024), new StringSerializer(),
                        new ByteArraySerializer())) {
                    for (GoldenRun.Record r : golden.records()) {
                        producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value())).get();
                    }
                }
            }
        }
    }

    private static Path state(GoldenRun golden) {
        return states.resolve(golden.name());
    }

    @ParameterizedTest
    @MethodSource("goldenRuns")
    void todaysReplayReproducesEverySnapshotOfTheGoldenRun(GoldenRun golden) {
        List<WeightSnapshot> recorded = golden.snapshots();
        String replayed = golden.runId() + "-today";
        CommandRun replay = CommandRun.of("replay", "--run", golden.runId(), "--as", replayed,
                "--state-dir", state(golden).toString());
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isEqualTo(ExitCodes.OK);
        for (WeightSnapshot s : recorded) {
            assertThat(replay.out()).contains("epoch " + s.epoch() + " step " + s.step() + ": reproduced "
                    + s.parametersSha256());
        }
        assertThat(replay.out()).contains("reproduced: " + recorded.size() + "/" + recorded.size()
                + " snapshots bit-identical");

        // replay compares parameters and train loss; the rest of each snapshot must match too
        List<WeightSnapshot> today;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state(golden).resolve("kafka")).build().start();
             SnapshotsTopicReader reader = new SnapshotsTopicReader(KafkaSettings.of(broker.bootstrapServers()),
                     TopicNames.DEFAULT_SNAPSHOTS)) {
            today = reader.ofRun(replayed);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(today).hasSameSizeAs(recorded);
        for (int i = 0; i < recorded.size(); i++) {
            WeightSnapshot then = recorded.get(i);
            WeightSnapshot now = today.get(i);
            String at = golden + " step " + then.step();
            assertThat(now.step()).as(at).isEqualTo(then.step());
            assertThat(now.epoch()).as(at).isEqualTo(then.epoch());
            assertThat(now.samplesSeen()).as(at).isEqualTo(then.samplesSeen());
            assertThat(now.epochEnd()).as(at).isEqualTo(then.epochEnd());
            assertThat(now.finalSnapshot()).as(at).isEqualTo(then.finalSnapshot());
            assertThat(now.trainLoss()).as(at).isEqualTo(then.trainLoss());
            if (then.trainAccuracy().known()) {
                assertThat(now.trainAccuracy()).as(at).isEqualTo(then.trainAccuracy());
            }
            assertThat(now.offsets()).as(at).isEqualTo(then.offsets());
            assertThat(now.parameters()).as(at).isEqualTo(then.parameters());
            assertThat(now.updaterState()).as(at).isEqualTo(then.updaterState());
            assertThat(now.spec().loader()).as(at).isEqualTo(then.spec().loader());
            assertThat(now.spec().transforms()).as(at).isEqualTo(then.spec().transforms());
            assertThat(now.spec().optimizer()).as(at).isEqualTo(then.spec().optimizer());
        }
    }

    @Test
    void runsAndReportShowARunOfBeforeTheEngineSeam() {
        Path state = state(GoldenRun.named(GoldenRun.PRE_ENGINE_SEAM));
        CommandRun runs = CommandRun.of("runs", "--state-dir", state.toString());
        assertThat(runs.out()).containsPattern("golden +FINISHED +fashion-mnist +tutorial-mlp +cross-entropy +sgd +16 "
                + "+1 +42 +2 +4 ").contains("optimizer SGD(lr=0.001, momentum=0, dampening=0, nesterov=False, "
                + "weight_decay=0), schedule constant");

        CommandRun report = CommandRun.of("report", "--run", GoldenRun.RUN_ID, "--out",
                state.resolve("golden.png").toString(), "--state-dir", state.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("Run golden (fashion-mnist, tutorial-mlp)",
                "     1         64    2.299978    2.306740      9.4%");
    }

    @Test
    void runsAndReportShowTheValidationSplitAndTheBestSnapshotOfA04Run() {
        Path state = state(GoldenRun.named(GoldenRun.STREAMTRAIN_0_4));
        CommandRun runs = CommandRun.of("runs", "--state-dir", state.toString());
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        // the best snapshot as the golden's changelog recorded it
        assertThat(runs.out()).containsPattern("golden-2 +FINISHED +golden-bars +mlp +cross-entropy +adam +8 +2 +42 +4 "
                + "+6 +100.0% \\(epoch 2, step 6; chosen by validation loss 0.790375, validation accuracy 100.0%\\)")
                .contains("optimizer Adam(lr=0.1, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False), "
                        + "schedule constant, transforms ToTensor(), Normalize(mean=[0.5], std=[0.5])");

        CommandRun report = CommandRun.of("report", "--run", "golden-2", "--out",
                state.resolve("golden.png").toString(), "--state-dir", state.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("Run golden-2 (golden-bars, mlp)",
                " EPOCH    SAMPLES  TRAIN LOSS   TEST LOSS  ACCURACY    VAL LOSS   VAL ACC  TRAIN ACC",
                "     1         24    2.148131    1.939698     65.0%    2.983953     30.0%      41.7%",
                "     2         48    0.577712    0.601024    100.0%    0.790375    100.0%      91.7%",
                "Reported snapshot: epoch 2, step 6 (sha256 147a633c9cd5…, best by validation loss)",
                "  2        100.0%        5");
    }
}
