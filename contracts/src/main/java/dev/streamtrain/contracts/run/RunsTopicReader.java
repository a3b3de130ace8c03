package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.wire.RunRecordDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the runs topic (compacted, read_committed) to its end: the latest record of every run.
 * The topic holds one small JSON record per run and status change, so reading it whole is cheap.
 */
public final class RunsTopicReader {

    private RunsTopicReader() {
    }

    /** The latest committed record of every run, in the order the runs started. */
    public static Map<String, RunRecord> readAll(KafkaSettings kafka, String topic) {
        Map<String, RunRecord> runs = new LinkedHashMap<>();
        try (KafkaConsumer<String, RunRecord> consumer = new KafkaConsumer<>(kafka.layered(Map.of(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(),
                new RunRecordDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read runs topic " + topic + " to its end " + end);
                }
                for (ConsumerRecord<String, RunRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        runs.remove(record.key());
                    } else {
                        runs.put(record.key(), record.value());
                    }
                }
            }
        }
        return runs;
    }

    public static Optional<RunRecord> find(KafkaSettings kafka, String topic, String runId) {
        return Optional.ofNullable(readAll(kafka, topic).get(runId));
    }
}
