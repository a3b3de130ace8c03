package dev.streamtrain.producer;

import dev.streamtrain.contracts.wire.Minibatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The producer's meters: {@code streamtrain_producer_batches_total} and
 * {@code streamtrain_producer_bytes_total}, tagged with the run (stream id, also of a validation split;
 * {@code testset} for the test set), dataset and split ({@code train}, {@code validation}, {@code test}). Counted when the broker acknowledges a batch.
 */
public final class ProducerMetrics implements ProducerListener {

    private final MeterRegistry registry;
    /** Built once per run, dataset and split: acks arrive on the Kafka producer's I/O thread. */
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    public ProducerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onBatchAcked(String topic, String key, Minibatch batch, int serializedBytes) {
        String run = switch (batch.split()) {
            case TRAIN -> key;
            case VALIDATION -> key.substring(0, key.indexOf('/'));
            case TEST -> "testset";
        };
        String split = batch.split().label();
        Counter[] pair = counters.computeIfAbsent(run + '\n' + batch.dataset() + '\n' + split, k -> new Counter[] {
                Counter.builder("streamtrain.producer.batches")
                        .description("Minibatches the broker acknowledged")
                        .tags("run", run, "dataset", batch.dataset(), "split", split)
                        .register(registry),
                Counter.builder("streamtrain.producer.bytes")
                        .description("Serialized minibatch bytes the broker acknowledged (before compression)")
                        .baseUnit("bytes")
                        .tags("run", run, "dataset", batch.dataset(), "split", split)
                        .register(registry)});
        pair[0].increment();
        pair[1].increment(serializedBytes);
    }
}
