package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.TestMetricsSerializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.utils.Bytes;

/**
 * The evaluator's topology: snapshots in, one metrics record out per snapshot, keyed by run id,
 * and a state store of each run's best snapshot.
 * Built by this one method for the application and its tests alike.
 */
public final class EvaluatorTopology {

    public static final Serde<WeightSnapshot> SNAPSHOT_SERDE =
            Serdes.serdeFrom(new WeightSnapshotSerializer(), new WeightSnapshotDeserializer());
    public static final Serde<TestMetrics> METRICS_SERDE =
            Serdes.serdeFrom(new TestMetricsSerializer(), new TestMetricsDeserializer());

    /** State store (and changelog) of the best-scoring snapshot of every run, keyed by run id. */
    public static final String BEST_SNAPSHOT_STORE = "best-snapshot-per-run";

    private EvaluatorTopology() {
    }

    public static void build(StreamsBuilder builder, TopicNames topics, SnapshotEvaluator evaluator,
                             EvaluationListener listener) {
        KStream<String, TestMetrics> metrics = builder
                .stream(topics.snapshots(), Consumed.with(Serdes.String(), SNAPSHOT_SERDE))
                .mapValues((key, snapshot) -> {
                    if (!snapshot.runId().equals(key)) {
                        throw new IllegalArgumentException("snapshot record keyed '" + key + "' holds run '"
                                + snapshot.runId() + "'; snapshots must be keyed by their run id");
                    }
                    return evaluator.evaluate(snapshot);
                })
                .peek((run, m) -> listener.onEvaluated(m));
        metrics.to(topics.metrics(), Produced.with(Serdes.String(), METRICS_SERDE));
        metrics.groupByKey(Grouped.with(Serdes.String(), METRICS_SERDE))
                .reduce(EvaluatorTopology::better,
                        Materialized.<String, TestMetrics, KeyValueStore<Bytes, byte[]>>as(BEST_SNAPSHOT_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(METRICS_SERDE));
    }

    /** The changelog topic of the best-snapshot store, which {@code streamtrain runs} reads. */
    public static String bestSnapshotChangelog(String applicationId) {
        return applicationId + "-" + BEST_SNAPSHOT_STORE + "-changelog";
    }

    /**
     * The better of two evaluations of one run. With a validation split: the lower validation loss
     * (choosing on the test set would leak it into the choice), then the later step. Without: the
     * higher test accuracy, then the lower test loss, then the later step. A NaN never wins.
     */
    static TestMetrics better(TestMetrics a, TestMetrics b) {
        if (a.hasValidation() && b.hasValidation()) {
            int byLoss = lowerFirst(a.validation().avgLoss(), b.validation().avgLoss());
            if (byLoss != 0) {
                return byLoss < 0 ? a : b;
            }
            return a.step() >= b.step() ? a : b;
        }
        int byAccuracy = lowerFirst(-a.accuracy(), -b.accuracy());
        if (byAccuracy != 0) {
            return byAccuracy < 0 ? a : b;
        }
        int byLoss = lowerFirst(a.avgLoss(), b.avgLoss());
        if (byLoss != 0) {
            return byLoss < 0 ? a : b;
        }
        return a.step() >= b.step() ? a : b;
    }

    /** Negative if {@code x} is better (lower), positive if {@code y} is; NaN is worse than any number. */
    private static int lowerFirst(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.isNaN(x) == Double.isNaN(y) ? 0 : Double.isNaN(x) ? 1 : -1;
        }
        return Double.compare(x, y) == 0 ? 0 : x < y ? -1 : 1;
    }
}
