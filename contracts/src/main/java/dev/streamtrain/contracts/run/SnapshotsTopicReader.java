package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.kafka.TopicScan;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Reads committed weight snapshots back: one at a known offset, or all of one run. */
public final class SnapshotsTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, WeightSnapshot> consumer;
    private final KafkaSettings kafka;
    private final String topic;

    public SnapshotsTopicReader(KafkaSettings kafka, String topic) {
        this.consumer = new KafkaConsumer<>(kafka.layered(
                Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicConfigs.MAX_SNAPSHOT_BYTES),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new WeightSnapshotDeserializer());
        this.kafka = kafka;
        this.topic = topic;
    }

    /** The snapshot at {@code offset} of {@code partition}; fails if that is not a committed snapshot. */
    public WeightSnapshot at(int partition, long offset) {
        try {
            return read(partition, offset);
        } catch (RuntimeException e) {
            throw ClusterAccessException.explain(e, kafka, Access.reading());
        }
    }

    private WeightSnapshot read(int partition, long offset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, WeightSnapshot> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() == offset) {
                    return record.value();
                }
                throw new IllegalStateException("no committed snapshot at " + tp + " offset " + offset
                        + " (next readable record is at " + record.offset() + ")");
            }
        }
        throw new IllegalStateException("timed out reading the snapshot at " + tp + " offset " + offset);
    }

    /** Every committed snapshot of {@code runId}, by step. */
    public List<WeightSnapshot> ofRun(String runId) {
        List<WeightSnapshot> snapshots = new ArrayList<>();
        TopicScan.forEach(kafka, topic, new WeightSnapshotDeserializer(), WeightSnapshot::runId, (key, snapshot) -> {
            if (runId.equals(key)) {
                snapshots.add(snapshot);
            }
        });
        snapshots.sort(Comparator.comparingLong(WeightSnapshot::step));
        return snapshots;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
