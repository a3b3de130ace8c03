package dev.streamtrain.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's meters, tagged with the run served: predictions and their latency by way in
 * ({@code path} = {@code http} or {@code kafka}), the served snapshot's step and age, and swaps.
 * Prometheus shows them as {@code streamtrain_predictions_total}, {@code streamtrain_prediction_seconds}
 * (a histogram), {@code streamtrain_served_snapshot_step}, {@code streamtrain_served_snapshot_age_seconds}
 * and {@code streamtrain_snapshot_swaps_total}. {@link #close()} removes them.
 */
public final class ServingMetrics implements AutoCloseable {

    public static final String PREDICTIONS = "streamtrain.predictions";
    public static final String LATENCY = "streamtrain.prediction";
    public static final String STEP = "streamtrain.served.snapshot.step";
    public static final String AGE = "streamtrain.served.snapshot.age";
    public static final String SWAPS = "streamtrain.snapshot.swaps";

    /** The way a request came in. */
    public enum Path {
        HTTP, KAFKA;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<Path, Counter> predictions = new EnumMap<>(Path.class);
    private final Map<Path, Timer> latency = new EnumMap<>(Path.class);
    private final List<Meter> meters = new ArrayList<>();

    public ServingMetrics(MeterRegistry registry, String runId, ModelSlot slot) {
        this.registry = registry;
        for (Path path : Path.values()) {
            predictions.put(path, add(Counter.builder(PREDICTIONS)
                    .description("Samples predicted, by the way their request came in")
                    .tags("run", runId, "path", path.tag()).register(registry)));
            latency.put(path, add(Timer.builder(LATENCY)
                    .description("From a request's bytes to its answer's (HTTP: read, decoded, predicted, answered; "
                            + "Kafka: decoded request to answer handed to Kafka Streams)")
                    .tags("run", runId, "path", path.tag()).publishPercentileHistogram()
                    // buckets from 50 µs: a single sample's answer takes well under a millisecond
                    .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry)));
        }
        add(Gauge.builder(STEP, slot, s -> s.current().map(m -> (double) m.step()).orElse(Double.NaN))
                .description("Step of the snapshot served (NaN before the first)").tag("run", runId)
                .register(registry));
        add(Gauge.builder(AGE, slot, s -> s.current()
                        .map(m -> (System.currentTimeMillis() - m.snapshot().createdAtMillis()) / 1000.0)
                        .orElse(Double.NaN))
                .description("How long ago the served snapshot was taken (NaN before the first)").baseUnit("seconds")
                .tag("run", runId).register(registry));
        Counter swaps = add(Counter.builder(SWAPS).description("Snapshots swapped in (the first one included)")
                .tag("run", runId).register(registry));
        slot.onSwap(m -> swaps.increment());
    }

    /** One request of {@code samples} samples answered by way of {@code path} in {@code nanos}. */
    public void answered(Path path, int samples, long nanos) {
        predictions.get(path).increment(samples);
        latency.get(path).record(nanos, TimeUnit.NANOSECONDS);
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
