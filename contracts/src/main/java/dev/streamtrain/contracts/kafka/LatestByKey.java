package dev.streamtrain.contracts.kafka;

import org.apache.kafka.common.serialization.Deserializer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A (compacted) topic read as a table: the latest committed value of each key; a tombstone
 * removes its key. A topic that does not exist reads as empty.
 */
public final class LatestByKey {

    private LatestByKey() {
    }

    /** The latest committed value of every key, in the order the keys first appeared. */
    public static <V> Map<String, V> read(KafkaSettings kafka, String topic, Deserializer<V> values) {
        Map<String, V> table = new LinkedHashMap<>();
        TopicScan.forEach(kafka, topic, values, (key, value) -> {
            if (value == null) {
                table.remove(key);
            } else {
                table.put(key, value);
            }
        });
        return table;
    }
}
