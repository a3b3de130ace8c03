package dev.streamtrain.trainer;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Publishes weight snapshots, keyed by run id, and waits until the broker has them. */
public final class SnapshotPublisher implements AutoCloseable {

    private final KafkaProducer<String, WeightSnapshot> producer;
    private final String topic;

    public SnapshotPublisher(KafkaSettings kafka, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(kafka.layered(
                Map.of(
                        // A snapshot of the tutorial MLP is 2.7 MB; allow what the topic accepts.
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicConfigs.MAX_SNAPSHOT_BYTES,
                        ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * TopicConfigs.MAX_SNAPSHOT_BYTES),
                Map.of(
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, WeightSnapshotSerializer.class.getName())));
    }

    public RecordMetadata publish(WeightSnapshot snapshot) {
        try {
            return producer.send(new ProducerRecord<>(topic, RecordKeys.run(snapshot.runId()), snapshot)).get();
        } catch (ExecutionException e) {
            throw new KafkaException("publishing " + snapshot + " to " + topic + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing " + snapshot, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
