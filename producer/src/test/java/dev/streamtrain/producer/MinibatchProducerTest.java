package dev.streamtrain.producer;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.Split;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class MinibatchProducerTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    static ImageDataset dataset(Split split, int size) {
        SplittableRandom random = new SplittableRandom(size);
        byte[] pixels = new byte[size * 784];
        byte[] labels = new byte[size];
        for (int i = 0; i < size; i++) {
            labels[i] = (byte) random.nextInt(10);
            // first pixel holds the sample index (mod 256), so order can be checked
            pixels[i * 784] = (byte) i;
            pixels[i * 784 + 1] = (byte) (i >> 8);
        }
        return new ImageDataset("fashion-mnist", split, new int[] {1, 28, 28}, pixels, labels, 10);
    }

    @Test
    void streamsEveryEpochInOrderKeyedByStreamWithTheTestSetBeside() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        AtomicInteger acked = new AtomicInteger();
        ProducedStream produced;
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics,
                (topic, key, batch, bytes) -> acked.incrementAndGet())) {
            assertThat(producer.produceTestSet(dataset(Split.TEST, 100), 64)).isEqualTo(2);
            produced = producer.produceTrainingStream("s1", dataset(Split.TRAIN, 150), 64, 2,
                    new EpochShuffler(42, true));
        }
        assertThat(produced.batches()).isEqualTo(6);
        assertThat(produced.firstOffset()).isZero();
        assertThat(produced.lastOffset()).isEqualTo(5);
        assertThat(acked).hasValue(8);

        List<ConsumerRecord<String, Minibatch>> train = TopicRecords.readAll(KAFKA.bootstrapServers(),
                topics.minibatches(), new StringDeserializer(), new MinibatchDeserializer());
        assertThat(train).extracting(ConsumerRecord::key).containsOnly("s1");
        assertThat(train).extracting(r -> r.value().epoch() + "/" + r.value().batchIndex() + ":"
                + r.value().sampleCount()).containsExactly("1/0:64", "1/1:64", "1/2:22", "2/0:64", "2/1:64", "2/2:22");
        assertThat(train).allSatisfy(r -> {
            assertThat(r.value().epochs()).isEqualTo(2);
            assertThat(r.value().datasetSize()).isEqualTo(150);
            assertThat(r.value().split()).isEqualTo(Split.TRAIN);
        });
        // each epoch visits every sample once, in a different order
        assertThat(sampleIds(train.subList(0, 3))).hasSize(150);
        assertThat(sampleIds(train.subList(3, 6))).hasSize(150);
        assertThat(train.get(0).value().pixels()).isNotEqualTo(train.get(3).value().pixels());

        List<ConsumerRecord<String, Minibatch>> test = TopicRecords.readAll(KAFKA.bootstrapServers(),
                topics.testSet(), new StringDeserializer(), new MinibatchDeserializer());
        assertThat(test).extracting(ConsumerRecord::key).containsExactly("fashion-mnist/0", "fashion-mnist/1");
        assertThat(test).extracting(r -> r.value().sampleCount()).containsExactly(64, 36);
        assertThat(test.get(0).value().split()).isEqualTo(Split.TEST);
    }

    @Test
    void sameSeedProducesTheSameStream() {
        TopicNames first = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        TopicNames second = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        for (TopicNames topics : List.of(first, second)) {
            try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
                producer.produceTrainingStream("s", dataset(Split.TRAIN, 130), 50, 2, new EpochShuffler(7, true));
            }
        }
        List<Minibatch> a = values(first.minibatches());
        List<Minibatch> b = values(second.minibatches());
        assertThat(a).hasSize(6).isEqualTo(b);
    }

    @Test
    void theKafkaProducersOwnMetricsArePublishedWhileItRuns() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MinibatchProducer producer = new MinibatchProducer(KafkaSettings.of(KAFKA.bootstrapServers()), topics,
                new ProducerMetrics(registry)).bindTo(registry)) {
            producer.produceTrainingStream("m", dataset(Split.TRAIN, 130), 50, 1, new EpochShuffler(1, true));
            Meter sends = registry.find("kafka.producer.record.send.total").tag("service", "producer").meter();
            assertThat(sends).as("Micrometer's KafkaClientMetrics bound the producer").isNotNull();
            assertThat(sends.measure().iterator().next().getValue()).isEqualTo(3);
            assertThat(registry.get("streamtrain.producer.batches").tag("run", "m").counter().count()).isEqualTo(3);
        }
        assertThat(registry.find("kafka.producer.record.send.total").meters())
                .as("closing the producer removes its client meters").isEmpty();
    }

    @Test
    void topicsAreCreatedWithExplicitConfigs() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics);
        TopicProvisioner.ensureTopics(kafka.admin(), topics); // a second call leaves them as they are
        try (Admin admin = Admin.create(kafka.admin())) {
            TopicDescription minibatches = admin.describeTopics(List.of(topics.minibatches())).allTopicNames().get()
                    .get(topics.minibatches());
            assertThat(minibatches.partitions()).hasSize(1);
            ConfigResource snapshots = new ConfigResource(ConfigResource.Type.TOPIC, topics.snapshots());
            ConfigResource testSet = new ConfigResource(ConfigResource.Type.TOPIC, topics.testSet());
            var configs = admin.describeConfigs(List.of(snapshots, testSet)).all().get();
            assertThat(configs.get(snapshots).get("max.message.bytes").value()).isEqualTo("67108864");
            assertThat(configs.get(snapshots).get("retention.ms").value()).isEqualTo("-1");
            assertThat(configs.get(testSet).get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private List<Minibatch> values(String topic) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), topic, new StringDeserializer(),
                new MinibatchDeserializer()).stream().map(ConsumerRecord::value).toList();
    }

    private static Set<Integer> sampleIds(List<ConsumerRecord<String, Minibatch>> batches) {
        Set<Integer> ids = new HashSet<>();
        for (ConsumerRecord<String, Minibatch> r : batches) {
            byte[] pixels = r.value().pixels();
            for (int i = 0; i < r.value().sampleCount(); i++) {
                ids.add((pixels[i * 784] & 0xFF) | (pixels[i * 784 + 1] & 0xFF) << 8);
            }
        }
        return ids;
    }

    static String shape(Minibatch batch) {
        return Arrays.toString(batch.sampleShape());
    }
}
