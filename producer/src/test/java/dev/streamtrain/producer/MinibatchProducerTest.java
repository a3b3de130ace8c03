package dev.streamtrain.producer;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MinibatchProducerTest {

    private static final Sampling SHUFFLED_42 = new Sampling(true, false, 42, 0);

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

    /**
     * Kafka's idempotent producer loses a batch when its first request reaches a partition created a
     * moment before, before the broker leads it (NOT_LEADER_OR_FOLLOWER), and a later request is
     * appended first: every retry then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until the batch
     * expires (KAFKA-15591). A producer's topics must be ready to write when its constructor returns.
     */
    @Test
    void aStreamProducedRightAfterItsTopicsAreCreatedArrivesWhole() {
        KafkaSettings kafka = new KafkaSettings(Map.of("bootstrap.servers", KAFKA.bootstrapServers(),
                // A lost batch fails the test in seconds, not after the default 2 minutes.
                "delivery.timeout.ms", "15000", "request.timeout.ms", "10000"));
        ImageDataset train = dataset(Split.TRAIN, 1280);
        for (int attempt = 0; attempt < 20; attempt++) {
            TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
            try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
                // 40 records of 50 KB: several requests in flight at once to the new partition.
                assertThat(producer.produceTrainingStream("s", train, 64, 2, SHUFFLED_42, 64).batches())
                        .as("attempt %d", attempt).isEqualTo(40);
            }
        }
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
            produced = producer.produceTrainingStream("s1", dataset(Split.TRAIN, 150), 64, 2, SHUFFLED_42, 64);
        }
        assertThat(produced.batches()).isEqualTo(6);
        assertThat(produced.trainSize()).isEqualTo(150);
        assertThat(produced.validationSize()).isZero();
        assertThat(produced.validationBatches()).isZero();
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
            assertThat(r.value().sampling()).isEqualTo(SHUFFLED_42);
            assertThat(r.value().sampleIndexes()).as("indexes name the samples sent").isEqualTo(pixelIds(r.value()));
        });
        assertThat(sampleIndexes(train.subList(0, 3))).as("epoch 1 is permutation(42, 1, 150)")
                .containsExactly(EpochShuffler.permutation(42, 1, 150));
        // each epoch visits every sample once, in a different order
        assertThat(sampleIds(train.subList(0, 3))).hasSize(150);
        assertThat(sampleIds(train.subList(3, 6))).hasSize(150);
        assertThat(train.get(0).value().pixels()).isNotEqualTo(train.get(3).value().pixels());

        List<ConsumerRecord<String, Minibatch>> test = TopicRecords.readAll(KAFKA.bootstrapServers(),
                topics.testSet(), new StringDeserializer(), new MinibatchDeserializer());
        assertThat(test).extracting(ConsumerRecord::key).containsExactly("fashion-mnist/0", "fashion-mnist/1");
        assertThat(test).extracting(r -> r.value().sampleCount()).containsExactly(64, 36);
        assertThat(test.get(0).value().split()).isEqualTo(Split.TEST);
        assertThat(test.get(1).value().sampleIndexes()).isEqualTo(IntStream.range(64, 100).toArray());
    }

    @Test
    void aValidationSplitGoesToTheTestSetTopicDisjointFromTheTrainingStream() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Sampling sampling = new Sampling(true, false, 42, 30);
        ProducedStream produced;
        try (MinibatchProducer producer = new MinibatchProducer(KafkaSettings.of(KAFKA.bootstrapServers()), topics,
                new ProducerMetrics(registry))) {
            producer.produceTestSet(dataset(Split.TEST, 100), 64);
            produced = producer.produceTrainingStream("v1", dataset(Split.TRAIN, 150), 64, 2, sampling, 20);
        }
        assertThat(produced.trainSize()).isEqualTo(120);
        assertThat(produced.validationSize()).isEqualTo(30);
        assertThat(produced.validationBatches()).isEqualTo(2);
        assertThat(produced.batches()).isEqualTo(4);
        // random_split(data, [120, 30]) with the seed: the last 30 of the epoch-0 permutation
        int[] permutation = EpochShuffler.permutation(42, 0, 150);
        int[] validationIndexes = Arrays.copyOfRange(permutation, 120, 150);

        List<ConsumerRecord<String, Minibatch>> testTopic = TopicRecords.readAll(KAFKA.bootstrapServers(),
                topics.testSet(), new StringDeserializer(), new MinibatchDeserializer());
        // keys spelled out: they are the wire format's <stream>/validation/<i>, beside the test set's <dataset>/<i>
        assertThat(testTopic).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "fashion-mnist/0", "fashion-mnist/1", "v1/validation/0", "v1/validation/1");
        List<ConsumerRecord<String, Minibatch>> validation = testTopic.stream()
                .filter(r -> r.key().startsWith("v1/validation/")).toList();
        assertThat(validation).extracting(ConsumerRecord::key).containsExactly("v1/validation/0", "v1/validation/1");
        assertThat(validation).extracting(r -> r.value().sampleCount()).containsExactly(20, 10);
        assertThat(validation).allSatisfy(r -> {
            Minibatch batch = r.value();
            assertThat(batch.split()).isEqualTo(Split.VALIDATION);
            assertThat(batch.datasetSize()).isEqualTo(30);
            assertThat(batch.batchesPerEpoch()).isEqualTo(2);
            assertThat(batch.epochs()).isEqualTo(1);
            assertThat(batch.sampling()).isEqualTo(sampling);
            assertThat(batch.sampleIndexes()).isEqualTo(pixelIds(batch));
        });
        assertThat(sampleIndexes(validation)).as("exactly the split, in its order").containsExactly(validationIndexes);
        assertThat(testTopic).filteredOn(r -> r.key().startsWith("fashion-mnist/"))
                .allSatisfy(r -> assertThat(r.value().split()).isEqualTo(Split.TEST));

        List<ConsumerRecord<String, Minibatch>> train = TopicRecords.readAll(KAFKA.bootstrapServers(),
                topics.minibatches(), new StringDeserializer(), new MinibatchDeserializer());
        assertThat(train).hasSize(4).extracting(ConsumerRecord::key).containsOnly("v1");
        assertThat(train).extracting(r -> r.value().sampleCount()).containsExactly(64, 56, 64, 56);
        assertThat(train).allSatisfy(r -> {
            assertThat(r.value().split()).isEqualTo(Split.TRAIN);
            assertThat(r.value().datasetSize()).as("len(train subset)").isEqualTo(120);
            assertThat(r.value().sampleIndexes()).doesNotContain(validationIndexes);
            assertThat(r.value().sampleIndexes()).isEqualTo(pixelIds(r.value()));
        });
        int[] trainSubset = sorted(Arrays.copyOfRange(permutation, 0, 120));
        assertThat(sorted(sampleIndexes(train.subList(0, 2)))).as("epoch 1 visits the training subset once")
                .isEqualTo(trainSubset);
        assertThat(sorted(sampleIndexes(train.subList(2, 4)))).as("epoch 2 visits the training subset once")
                .isEqualTo(trainSubset);

        assertThat(registry.get("streamtrain.producer.batches").tag("run", "v1").tag("split", "validation")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("streamtrain.producer.batches").tag("run", "v1").tag("split", "train")
                .counter().count()).isEqualTo(4);
    }

    @Test
    void dropLastSendsOnlyFullBatches() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        Sampling sampling = new Sampling(true, true, 5, 0);
        ProducedStream produced;
        try (MinibatchProducer producer = new MinibatchProducer(KafkaSettings.of(KAFKA.bootstrapServers()), topics,
                ProducerListener.NONE)) {
            produced = producer.produceTrainingStream("d1", dataset(Split.TRAIN, 150), 64, 3, sampling, 64);
        }
        assertThat(produced.batches()).isEqualTo(6);
        assertThat(produced.validationBatches()).isZero();
        List<ConsumerRecord<String, Minibatch>> train = TopicRecords.readAll(KAFKA.bootstrapServers(),
                topics.minibatches(), new StringDeserializer(), new MinibatchDeserializer());
        // floor(150 / 64) = 2 full batches an epoch; the 22 left over are dropped
        assertThat(train).extracting(r -> r.value().epoch() + "/" + r.value().batchIndex() + ":"
                + r.value().sampleCount()).containsExactly("1/0:64", "1/1:64", "2/0:64", "2/1:64", "3/0:64", "3/1:64");
        assertThat(train).allSatisfy(r -> {
            assertThat(r.value().batchesPerEpoch()).isEqualTo(2);
            assertThat(r.value().datasetSize()).isEqualTo(150);
            assertThat(r.value().sampling().dropLast()).isTrue();
        });
        assertThat(train.get(1).value().endsEpoch()).isTrue();
        assertThat(train.get(5).value().endsStream()).isTrue();
        for (int epoch = 1; epoch <= 3; epoch++) {
            int[] order = EpochShuffler.permutation(5, epoch, 150);
            assertThat(sampleIndexes(train.subList(2 * epoch - 2, 2 * epoch))).as("epoch %d", epoch)
                    .containsExactly(Arrays.copyOf(order, 128));
        }
        assertThat(TopicRecords.readAll(KAFKA.bootstrapServers(), topics.testSet(), new StringDeserializer(),
                new MinibatchDeserializer())).as("no validation split, nothing on the test-set topic").isEmpty();
    }

    @Test
    void sameSeedProducesTheSameStream() {
        TopicNames first = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        TopicNames second = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        for (TopicNames topics : List.of(first, second)) {
            try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
                producer.produceTrainingStream("s", dataset(Split.TRAIN, 130), 50, 2,
                        new Sampling(true, false, 7, 13), 50);
            }
        }
        List<Minibatch> a = values(first.minibatches());
        List<Minibatch> b = values(second.minibatches());
        assertThat(a).hasSize(6).isEqualTo(b);
        assertThat(values(first.testSet())).hasSize(1).isEqualTo(values(second.testSet()));
    }

    @Test
    void theKafkaProducersOwnMetricsArePublishedWhileItRuns() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MinibatchProducer producer = new MinibatchProducer(KafkaSettings.of(KAFKA.bootstrapServers()), topics,
                new ProducerMetrics(registry)).bindTo(registry)) {
            producer.produceTrainingStream("m", dataset(Split.TRAIN, 130), 50, 1,
                    new Sampling(true, false, 1, 0), 50);
            Meter sends = registry.find("kafka.producer.record.send.total").tag("service", "producer").meter();
            assertThat(sends).as("Micrometer's KafkaClientMetrics bound the producer").isNotNull();
            // the client counts every send attempt: a batch retried (e.g. while the new topic's leader is
            // elected) counts twice, so at least the 3 batches; the acks below count each batch exactly once
            assertThat(sends.measure().iterator().next().getValue()).isGreaterThanOrEqualTo(3);
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

    @Test
    void topicsAreCreatedWithTheReplicationAskedFor() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics, TopicReplication.of(1, 1)); // one broker: 1 is all
        List<String> names = List.of(topics.minibatches(), topics.testSet(), topics.snapshots(), topics.metrics(),
                topics.runs());
        try (Admin admin = Admin.create(kafka.admin())) {
            assertThat(admin.describeTopics(names).allTopicNames().get().values())
                    .allSatisfy(t -> assertThat(t.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(1)));
            var configs = admin.describeConfigs(names.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get();
            assertThat(configs.values()).hasSize(5).allSatisfy(c -> {
                ConfigEntry minIsr = c.get("min.insync.replicas");
                // set on the topic, not the broker's default of the same value
                assertThat(minIsr.value()).isEqualTo("1");
                assertThat(minIsr.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            });
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topics.snapshots()))
                    .get("max.message.bytes").value()).isEqualTo("67108864");
        }
    }

    @Test
    void existingTopicsAreLeftAsTheyAreAndAnotherReplicationIsWarnedOncePerTopic() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics);
        Logger logger = (Logger) LoggerFactory.getLogger(TopicProvisioner.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            TopicProvisioner.ensureTopics(kafka.admin(), topics, TopicReplication.of(3, 2));
        } finally {
            logger.detachAppender(logs);
        }
        List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        for (String topic : List.of(topics.minibatches(), topics.testSet(), topics.snapshots(), topics.metrics(),
                topics.runs())) {
            assertThat(warnings).as(topic).containsOnlyOnce("topic " + topic + " already exists with replication "
                    + "factor 1, not the 3 asked for (--replication-factor) and min.insync.replicas 1, not the 2 "
                    + "asked for (--min-insync-replicas): it is left as it is");
        }
        try (Admin admin = Admin.create(kafka.admin())) {
            assertThat(admin.describeTopics(List.of(topics.snapshots())).allTopicNames().get()
                    .get(topics.snapshots()).partitions().get(0).replicas()).hasSize(1);
        }
    }

    @Test
    void moreReplicasThanTheClusterHasBrokersIsInvalidInputNamingTheOption() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TopicProvisioner.ensureTopics(kafka.admin(), topics, TopicReplication.of(3, 2)))
                .withMessageStartingWith("could not create topic ")
                .withMessageContaining(" with replication factor 3 (--replication-factor) and min.insync.replicas 2 "
                        + "(--min-insync-replicas): ");
    }

    private List<Minibatch> values(String topic) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), topic, new StringDeserializer(),
                new MinibatchDeserializer()).stream().map(ConsumerRecord::value).toList();
    }

    /** The sample indexes the dataset helper wrote into each sample's first two pixels. */
    private static int[] pixelIds(Minibatch batch) {
        byte[] pixels = batch.pixels();
        int[] ids = new int[batch.sampleCount()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (pixels[i * 784] & 0xFF) | (pixels[i * 784 + 1] & 0xFF) << 8;
        }
        return ids;
    }

    /** The batches' sample indexes, concatenated in order. */
    private static int[] sampleIndexes(List<ConsumerRecord<String, Minibatch>> batches) {
        return batches.stream().flatMapToInt(r -> Arrays.stream(r.value().sampleIndexes())).toArray();
    }

    private static int[] sorted(int[] values) {
        return Arrays.stream(values).sorted().toArray();
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
