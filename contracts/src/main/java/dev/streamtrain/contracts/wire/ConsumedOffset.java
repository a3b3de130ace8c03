package dev.streamtrain.contracts.wire;

import java.util.Objects;

/**
 * Position in a topic partition up to which a snapshot has consumed: {@code nextOffset} is the
 * offset of the next record to read, Kafka's convention for committed offsets.
 */
public record ConsumedOffset(String topic, int partition, long nextOffset) {

    public ConsumedOffset {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        if (nextOffset < 0) {
            throw new IllegalArgumentException("nextOffset must be >= 0, got " + nextOffset);
        }
    }
}
