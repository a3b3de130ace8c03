package dev.streamtrain.evaluator;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducerListener;
import dev.streamtrain.producer.StreamPlan;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvaluationSetReaderTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    private final KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());

    @Test
    void readsTheNewestCompleteTestSetOfTheDataset() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
            producer.produceTestSet(SyntheticIdxDataset.dataset("mnist", Split.TEST, 50, 1), 10);
            producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 2), 64);
            // produced again with another batch size: keys 0 and 1 replaced, 2..3 added, newest layout wins
            producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 3), 30);
        }
        EvaluationSet fashion = new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(30))
                .test("fashion-mnist");
        assertThat(fashion.size()).isEqualTo(100);
        assertThat(fashion.batches()).extracting(Minibatch::sampleCount).containsExactly(30, 30, 30, 10);
        assertThat(fashion.batches().get(0).labels())
                .isEqualTo(java.util.Arrays.copyOf(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 3)
                        .labels(), 30));
        EvaluationSet mnist = new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(30)).test("mnist");
        assertThat(mnist.size()).isEqualTo(50);
    }

    @Test
    void anIncompleteTestSetFailsNamingWhatIsMissing() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        new MinibatchProducer(kafka, topics, ProducerListener.NONE).close(); // creates the topics
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 30, 1);
        try (KafkaProducer<String, Minibatch> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(),
                new MinibatchSerializer())) {
            // batch 1 of 3 only
            Minibatch one = new Minibatch("fashion-mnist", Split.TEST, 1, 1, 1, 3, 30, 10, new int[] {1, 28, 28},
                    java.util.Arrays.copyOf(data.pixels(), 10 * 784), java.util.Arrays.copyOf(data.labels(), 10));
            producer.send(new ProducerRecord<>(topics.testSet(), RecordKeys.testBatch("fashion-mnist", 1), one)).get();
        }
        assertThatThrownBy(() -> new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(2))
                .test("fashion-mnist"))
                .hasMessageContaining("test set of fashion-mnist on topic " + topics.testSet() + " is incomplete")
                .hasMessageContaining("1 of 3 batches present; missing e.g. 0, 2")
                .hasMessageContaining("streamtrain produce --dataset fashion-mnist");
        assertThatThrownBy(() -> new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(1)).test("mnist"))
                .hasMessageContaining("no batches found");
    }

    @Test
    void readsAStreamsValidationSplitByItsKeyPrefixAlone() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        var train = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 300, 8);
        Sampling loader = new Sampling(true, false, 11, 100);
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
            producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 90, 2), 30);
            // a stream named like the dataset: its keys fashion-mnist/validation/<i> share the test set's prefix
            producer.produceTrainingStream("fashion-mnist", train, 32, 1, loader, 40);
            producer.produceTrainingStream("s2", train, 32, 1, new Sampling(true, false, 12, 60), 25);
        }
        EvaluationSetReader reader = new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(30));

        EvaluationSet validation = reader.validation("fashion-mnist");
        assertThat(validation.split()).isEqualTo(Split.VALIDATION);
        assertThat(validation.topic()).isEqualTo(topics.testSet());
        assertThat(validation.key()).isEqualTo("fashion-mnist/validation/");
        assertThat(validation.size()).isEqualTo(100);
        assertThat(validation.batchSize()).isEqualTo(40);
        assertThat(validation.batches()).extracting(Minibatch::sampleCount).containsExactly(40, 40, 20);
        assertThat(validation.batches()).extracting(Minibatch::split).containsOnly(Split.VALIDATION);
        assertThat(validation.batches()).extracting(Minibatch::sampling).containsOnly(loader);
        int[] expected = new StreamPlan(300, loader, 32).validationIndexes();
        assertThat(validation.batches().stream().flatMapToInt(b -> Arrays.stream(b.sampleIndexes())).toArray())
                .isEqualTo(expected);

        EvaluationSet test = reader.test("fashion-mnist");
        assertThat(test.split()).isEqualTo(Split.TEST);
        assertThat(test.key()).isEqualTo("fashion-mnist/");
        assertThat(test.batches()).extracting(Minibatch::sampleCount).containsExactly(30, 30, 30);

        EvaluationSet other = reader.validation("s2");
        assertThat(other.size()).isEqualTo(60);
        assertThat(other.batches()).extracting(Minibatch::sampleCount).containsExactly(25, 25, 10);
        assertThat(other.key()).isEqualTo("s2/validation/");
    }

    @Test
    void aValidationBatchUnderAnotherIndexOrOfAnotherSplitIsSkippedAndDeadLettered() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        new MinibatchProducer(kafka, topics, ProducerListener.NONE).close(); // creates the topics
        Minibatch batch1 = Fixtures.validationSet("s", Fixtures.loader(100), 40).batches().get(1);
        Minibatch test0 = Fixtures.testSet(100, 40).batches().get(0);
        try (KafkaProducer<String, Minibatch> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(),
                new MinibatchSerializer())) {
            producer.send(new ProducerRecord<>(topics.testSet(), RecordKeys.validationBatch("wrong-index", 0),
                    batch1)).get();
            producer.send(new ProducerRecord<>(topics.testSet(), RecordKeys.validationBatch("wrong-split", 0),
                    test0)).get();
        }
        EvaluationSetReader reader = new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(2));
        assertThatThrownBy(() -> reader.validation("wrong-index")).isInstanceOf(EvaluationSetMissingException.class)
                .hasMessageContaining("no batches found; 1 record(s) under its keys were skipped as undecodable or "
                        + "keyed as another batch (copies in streamtrain.dlq)");
        assertThatThrownBy(() -> reader.validation("wrong-split")).isInstanceOf(EvaluationSetMissingException.class)
                .hasMessageContaining("1 record(s) under its keys were skipped");
        assertThat(deadLetters(topics.testSet())).containsExactly(topics.testSet() + "-0@0 key-mismatch",
                topics.testSet() + "-0@1 key-mismatch");
    }

    @Test
    void anUndecodableRecordUnderATestBatchKeyIsSkippedAndTheGoodCopiesMakeTheSet() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        new MinibatchProducer(kafka, topics, ProducerListener.NONE).close(); // creates the topics
        byte[] garbage = {'S', 'T', 'M', 'B', 0, 2, 0};
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.testSet(), RecordKeys.testBatch("fashion-mnist", 0), garbage)).get();
            try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
                producer.produceTestSet(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 90, 2), 30);
            }
            // a damaged copy after the good one: the good one stands
            raw.send(new ProducerRecord<>(topics.testSet(), RecordKeys.testBatch("fashion-mnist", 2), garbage)).get();
        }
        EvaluationSet test = new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(30))
                .test("fashion-mnist");
        assertThat(test.batches()).extracting(Minibatch::sampleCount).containsExactly(30, 30, 30);
        assertThat(deadLetters(topics.testSet())).containsExactly(topics.testSet() + "-0@0 undecodable",
                topics.testSet() + "-0@4 undecodable");
    }

    /** The dead-letter copies of records of {@code topic}: where each was, and why it was skipped. */
    private static List<String> deadLetters(String topic) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), DeadLetters.TOPIC, new StringDeserializer(),
                        new ByteArrayDeserializer()).stream()
                .filter(r -> r.key().startsWith(topic + "-"))
                .map(r -> r.key() + " " + new String(r.headers().lastHeader(DeadLetters.HEADER_REASON).value(),
                        StandardCharsets.UTF_8))
                .distinct().toList();
    }

    @Test
    void afterTheSplitIsProducedAgainWithLargerBatchesItsStaleHigherIndexesAreIgnored() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        var train = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 300, 8);
        Sampling loader = new Sampling(false, false, 3, 100);
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
            producer.produceTrainingStream("s", train, 32, 1, loader, 20); // keys 0..4
            producer.produceTrainingStream("s", train, 32, 1, loader, 40); // keys 0..2 again; 3 and 4 stale
        }
        // one record a poll: the reader sees the old, complete layout before the new one
        KafkaSettings onePerPoll = new KafkaSettings(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers(), ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1"));

        EvaluationSet validation = new EvaluationSetReader(onePerPoll, topics.testSet(), Duration.ofSeconds(30))
                .validation("s");

        assertThat(validation.batches()).extracting(Minibatch::sampleCount).containsExactly(40, 40, 20);
        assertThat(validation.batches()).extracting(Minibatch::batchesPerEpoch).containsOnly(3);
        assertThat(validation.batchSize()).isEqualTo(40);
        assertThat(validation.size()).isEqualTo(100);
    }
}
