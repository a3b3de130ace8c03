package dev.streamtrain.launcher;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.contracts.golden.GoldenRun;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run trained before the engine seam (the golden run: its minibatches, test set, snapshots,
 * metrics and run records, each record as that version wrote it) is put on a broker as it was, and
 * today's commands read it: {@code replay} reproduces every one of its snapshots bit for bit, train
 * loss included; {@code runs} and {@code report} show it.
 */
class GoldenRunReplayTest {

    @TempDir
    static Path state;

    @BeforeAll
    static void restoreTheGoldenRunOnABroker() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(state.resolve("kafka")).build().start()) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            TopicProvisioner.ensureTopics(kafka.admin(), TopicNames.DEFAULT);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (GoldenRun.Record r : GoldenRun.named(GoldenRun.PRE_ENGINE_SEAM).records()) {
                    producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value())).get();
                }
            }
        }
    }

    @Test
    void todaysCommandsReplayAndShowARunOfBeforeTheEngineSeam() {
        CommandRun replay = CommandRun.of("replay", "--run", GoldenRun.RUN_ID, "--as", "golden-today",
                "--state-dir", state.toString());
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isEqualTo(ExitCodes.OK);
        assertThat(replay.out()).contains(
                "epoch 1 step 3: reproduced 4f838a3f96838f1d7100dbbf2550dd64d85c0cf8c6bbd1bd0fcae24c10179f24",
                "epoch 1 step 4: reproduced 4166eeeadfdc1cf2a4fc0f031e871e4aced251af51431cccae4e509fb715a459",
                "reproduced: 2/2 snapshots bit-identical");

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
}
