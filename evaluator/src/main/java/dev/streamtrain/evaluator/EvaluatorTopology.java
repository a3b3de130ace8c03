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
                        throw new MisKeyedRecordException(key, snapshot.runId());
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

    /** The better of two evaluations of one run: {@link TestMetrics#better}, the store's order. */
    static TestMetrics better(TestMetrics a, TestMetrics b) {
        return TestMetrics.better(a, b);
    }
}
