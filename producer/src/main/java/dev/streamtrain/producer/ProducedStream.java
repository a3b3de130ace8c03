package dev.streamtrain.producer;

/**
 * What a producer wrote for one stream: {@code batches} records on {@code topic} partition 0, from
 * {@code firstOffset} to {@code lastOffset} inclusive.
 */
public record ProducedStream(String stream, String topic, long firstOffset, long lastOffset, int batches,
                             long bytes) {
}
