package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.kafka.KafkaSettings;
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
import java.util.List;
import java.util.Map;

/** Reads committed weight snapshots back: one at a known offset, or all of one run. */
public final class SnapshotsTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, WeightSnapshot> consumer;
    private final TopicPartition partition;

    public SnapshotsTopicReader(KafkaSettings kafka, String topic) {
        this.consumer = new KafkaConsumer<>(kafka.layered(
                Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicConfigs.MAX_SNAPSHOT_BYTES),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new WeightSnapshotDeserializer());
        this.partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
    }

    /** The snapshot at {@code offset}; fails if that record is not a committed snapshot. */
    public WeightSnapshot at(long offset) {
        consumer.seek(partition, offset);
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, WeightSnapshot> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() == offset) {
                    return record.value();
                }
                throw new IllegalStateException("no committed snapshot at " + partition + " offset " + offset
                        + " (next readable record is at " + record.offset() + ")");
            }
        }
        throw new IllegalStateException("timed out reading the snapshot at " + partition + " offset " + offset);
    }

    /** Every committed snapshot of {@code runId}, in order. */
    public List<WeightSnapshot> ofRun(String runId) {
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        List<WeightSnapshot> snapshots = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(120);
        while (consumer.position(partition) < end) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("could not read " + partition + " to its end offset " + end);
            }
            for (ConsumerRecord<String, WeightSnapshot> record : consumer.poll(Duration.ofMillis(200))) {
                if (runId.equals(record.key())) {
                    snapshots.add(record.value());
                }
            }
        }
        return snapshots;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
