package dev.streamtrain.contracts.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads a topic from its beginning to its current end, read_committed, handing every record's key
 * and value to a callback. A topic that does not exist reads as empty.
 */
public final class TopicScan {

    private TopicScan() {
    }

    public static <V> void forEach(KafkaSettings kafka, String topic, Deserializer<V> values,
                                   BiConsumer<String, V> each) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(kafka.layered(Map.of(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(), values)) {
            List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (info == null || info.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(120);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read topic " + topic + " to its end " + end);
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(record.key(), record.value());
                }
            }
        }
    }
}
