package dev.streamtrain.producer;

/**
 * What a producer wrote for one stream: {@code batches} records on {@code topic} partition 0, from
 * {@code firstOffset} to {@code lastOffset} inclusive, over a training subset of {@code trainSize}
 * samples; and {@code validationBatches} batches of a validation split of {@code validationSize}
 * samples on the test-set topic (0 and 0 without one).
 */
public record ProducedStream(String stream, String topic, long firstOffset, long lastOffset, int batches,
                             long bytes, int trainSize, int validationSize, int validationBatches) {
}
