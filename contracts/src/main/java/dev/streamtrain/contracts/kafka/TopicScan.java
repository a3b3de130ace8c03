package dev.streamtrain.contracts.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reads a topic from its beginning to its current end, read_committed, handing every record's key
 * and value to a callback. A topic that does not exist reads as empty. A record whose value does
 * not decode, or that holds another run than its key names, is skipped and goes to
 * {@link DeadLetters}: one stray record never stops a reader, nor hides the records after it. A
 * topic the client may not read fails at once, naming its principal ({@link ClusterAccessException}).
 */
public final class TopicScan {

    private TopicScan() {
    }

    /**
     * Every record of {@code topic}: its key and its value decoded by {@code values} (null for a
     * tombstone), in each partition's order; {@code runOf} names the run a value belongs to, which
     * must be its key.
     */
    public static <V> void forEach(KafkaSettings kafka, String topic, Deserializer<V> values, Function<V, String> runOf,
                                   BiConsumer<String, V> each) {
        try {
            read(kafka, topic, values, runOf, each);
        } catch (RuntimeException e) {
            throw ClusterAccessException.explain(e, kafka, Access.reading());
        }
    }

    private static <V> void read(KafkaSettings kafka, String topic, Deserializer<V> values, Function<V, String> runOf,
                                 BiConsumer<String, V> each) {
        try (DeadLetters deadLetters = DeadLetters.of(kafka);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.layered(Map.of(), Map.of(
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
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
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    decode(record, values, runOf, deadLetters, each);
                }
            }
        }
    }

    private static <V> void decode(ConsumerRecord<byte[], byte[]> record, Deserializer<V> values,
                                   Function<V, String> runOf, DeadLetters deadLetters, BiConsumer<String, V> each) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        V value;
        try {
            value = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            deadLetters.reject(rejected(record, Rejection.UNDECODABLE, e));
            return;
        }
        String run = value == null ? key : runOf.apply(value);
        if (!Objects.equals(run, key)) {
            deadLetters.reject(rejected(record, Rejection.KEY_MISMATCH, new IllegalArgumentException(
                    "record keyed '" + key + "' holds run '" + run + "'")));
            return;
        }
        each.accept(key, value);
    }

    private static DeadLetters.Rejected rejected(ConsumerRecord<byte[], byte[]> record, Rejection reason,
                                                 Exception cause) {
        return new DeadLetters.Rejected(record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), reason, cause);
    }
}
