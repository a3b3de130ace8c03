package dev.streamtrain.evaluator;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchSerializer;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducerListener;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
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
        EvaluationSet fashion = new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(30)).read("fashion-mnist");
        assertThat(fashion.size()).isEqualTo(100);
        assertThat(fashion.batches()).extracting(Minibatch::sampleCount).containsExactly(30, 30, 30, 10);
        assertThat(fashion.batches().get(0).labels())
                .isEqualTo(java.util.Arrays.copyOf(SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 3)
                        .labels(), 30));
        EvaluationSet mnist = new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(30)).read("mnist");
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
                .read("fashion-mnist"))
                .hasMessageContaining("test set of fashion-mnist on topic " + topics.testSet() + " is incomplete")
                .hasMessageContaining("1 of 3 batches present; missing e.g. 0, 2")
                .hasMessageContaining("streamtrain produce --dataset fashion-mnist");
        assertThatThrownBy(() -> new EvaluationSetReader(kafka, topics.testSet(), Duration.ofSeconds(1)).read("mnist"))
                .hasMessageContaining("no batches found");
    }
}
