package dev.streamtrain.contracts.kafka;

import org.apache.kafka.common.serialization.Deserializer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A (compacted) topic read as a table: the latest committed value of each key; a tombstone
 * removes its key. A topic that does not exist reads as empty.
 */
public final class LatestByKey {

    private LatestByKey() {
    }

    /**
     * The latest committed value of every key, in the order the keys first appeared; {@code runOf}
     * names the run of a value, its key ({@link TopicScan}).
     */
    public static <V> Map<String, V> read(KafkaSettings kafka, String topic, Deserializer<V> values,
                                          Function<V, String> runOf) {
        Map<String, V> table = new LinkedHashMap<>();
        TopicScan.forEach(kafka, topic, values, runOf, (key, value) -> {
            if (value == null) {
                table.remove(key);
            } else {
                table.put(key, value);
            }
        });
        return table;
    }
}
