package dev.streamtrain.server;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.PredictTopics;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.model.Engines;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the very topology {@code serve} runs ({@link PredictionTopology#build}) with TopologyTestDriver. */
class PredictionTopologyTest {

    private static final PredictTopics TOPICS = PredictTopics.DEFAULT;
    private static final ImageDataset DATA = ServerFixtures.images(8, 4);

    @TempDir
    static Path state;

    @BeforeAll
    static void oneThread() {
        Metrics.addRegistry(new SimpleMeterRegistry()); // the rejections counter counts in the global registry
        Engines.setMathThreads(Engines.AUTO, 1);
    }

    private static ServeSettings settings(TopicReplication replication) {
        return new ServeSettings("r", ServePolicy.LATEST, TopicNames.DEFAULT, TOPICS, true, null,
                state.resolve("streams"), "127.0.0.1", 0, 1, 1, replication);
    }

    private static TopologyTestDriver driver(ModelSlot slot, SimpleMeterRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        PredictionTopology.build(builder, TOPICS, slot, new ServingMetrics(registry, "r", slot));
        Properties config = new Properties();
        config.putAll(PredictionTopology.streamsConfig(KafkaSettings.of("unused:9092"),
                settings(TopicReplication.BROKER_DEFAULTS)));
        return new TopologyTestDriver(builder.build(), config);
    }

    @Test
    void everyRequestIsAnsweredOnceKeyedByItsIdWithTheServedSnapshotNamed() {
        ModelSlot slot = new ModelSlot();
        ServedModel first = new ServedModel(ServerFixtures.snapshot("r", 2), ServePolicy.LATEST, null);
        ServedModel second = new ServedModel(ServerFixtures.snapshot("r", 6), ServePolicy.LATEST, null);
        slot.serve(first);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TopologyTestDriver driver = driver(slot, registry)) {
            TestInputTopic<String, PredictRequest> requests = driver.createInputTopic(TOPICS.requests(),
                    new StringSerializer(), PredictionTopology.REQUEST_SERDE.serializer());
            TestOutputTopic<String, PredictResponse> predictions = driver.createOutputTopic(TOPICS.predictions(),
                    new StringDeserializer(), PredictionTopology.RESPONSE_SERDE.deserializer());

            PredictRequest two = new PredictRequest(null, List.of(ServerFixtures.sample(DATA, 0),
                    ServerFixtures.sample(DATA, 1)));
            requests.pipeInput("req-1", two);
            slot.serve(second);
            requests.pipeInput("req-2", new PredictRequest("req-2", List.of(ServerFixtures.sample(DATA, 2))));
            requests.pipeInput(null, new PredictRequest("own-id", List.of(ServerFixtures.sample(DATA, 3))));
            requests.pipeInput((String) null, new PredictRequest(null, List.of(ServerFixtures.sample(DATA, 4))));

            List<TestRecord<String, PredictResponse>> out = predictions.readRecordsToList();
            assertThat(out).extracting(TestRecord::key).containsExactly("req-1", "req-2", "own-id",
                    TOPICS.requests() + "-0@3");
            assertThat(out).extracting(r -> r.value().id()).containsExactly("req-1", "req-2", "own-id",
                    TOPICS.requests() + "-0@3");
            PredictResponse one = out.get(0).value();
            assertThat(one.run()).isEqualTo("r");
            assertThat(one.policy()).isEqualTo(ServePolicy.LATEST);
            assertThat(one.snapshot()).isEqualTo(first.ref());
            assertThat(one.predictions()).isEqualTo(new Predictor().predict(first, two.samples()));
            assertThat(out.get(1).value().snapshot()).as("after the swap").isEqualTo(second.ref());
            assertThat(out.get(1).value().predictions()).isEqualTo(new Predictor().predict(second,
                    List.of(ServerFixtures.sample(DATA, 2))));
        }
        assertThat(registry.get(ServingMetrics.PREDICTIONS).tag("path", "kafka").counter().count()).isEqualTo(5);
        assertThat(registry.get(ServingMetrics.LATENCY).tag("path", "kafka").timer().count()).isEqualTo(4);
    }

    @Test
    void aRequestThatIsNotOneOrDoesNotFitIsDeadLetteredAndTheNextAnswered() {
        ModelSlot slot = new ModelSlot();
        slot.serve(new ServedModel(ServerFixtures.snapshot("r", 2), ServePolicy.LATEST, null));
        try (TopologyTestDriver driver = driver(slot, new SimpleMeterRegistry())) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(TOPICS.requests(), new StringSerializer(),
                    new ByteArraySerializer());
            raw.pipeInput("not-json", "{\"samples\": 3".getBytes(StandardCharsets.UTF_8));
            raw.pipeInput("too-small", "{\"samples\": [[1, 2, 3]]}".getBytes(StandardCharsets.UTF_8));
            raw.pipeInput("tombstone", (byte[]) null);
            raw.pipeInput("good", new PredictRequestSerializer().serialize("t",
                    new PredictRequest(null, List.of(ServerFixtures.sample(DATA, 5)))));

            assertThat(driver.createOutputTopic(TOPICS.predictions(), new StringDeserializer(),
                    PredictionTopology.RESPONSE_SERDE.deserializer()).readKeyValuesToMap()).containsOnlyKeys("good");
            // TopologyTestDriver drops the copies of undecodable records; those found while processing come out
            List<TestRecord<String, byte[]>> letters = driver.createOutputTopic(DeadLetters.TOPIC,
                    new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
            assertThat(letters).extracting(r -> header(r, DeadLetters.HEADER_KEY)).containsExactly("too-small",
                    "tombstone");
            assertThat(header(letters.get(0), DeadLetters.HEADER_REASON)).isEqualTo("undecodable");
            assertThat(header(letters.get(0), DeadLetters.HEADER_MESSAGE)).isEqualTo("prediction request: sample 0 "
                    + "is [3] (3 pixels), but run r takes samples of shape [1, 28, 28] (784 pixels, flat or nested "
                    + "as [28][28])");
            assertThat(letters.get(0).key()).isEqualTo(TOPICS.requests() + "-0@1");
        }
    }

    @Test
    void itRunsExactlyOnceAndReplicatesAsAsked() {
        Map<String, Object> config = PredictionTopology.streamsConfig(KafkaSettings.of("unused:9092"),
                settings(TopicReplication.of(3, 2)));
        assertThat(config).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "streamtrain-serve-r")
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
                .containsEntry("topic.min.insync.replicas", 2);
        KafkaSettings overriding = new KafkaSettings(Map.of("bootstrap.servers", "unused:9092",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once"));
        assertThat(PredictionTopology.streamsConfig(overriding, settings(TopicReplication.BROKER_DEFAULTS)))
                .as("enforced over -X").containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                        StreamsConfig.EXACTLY_ONCE_V2);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
