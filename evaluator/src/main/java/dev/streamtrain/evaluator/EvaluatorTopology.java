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
import org.apache.kafka.streams.kstream.Produced;

/**
 * The evaluator's topology: snapshots in, one metrics record out per snapshot, keyed by run id.
 * Built by this one method for the application and its tests alike.
 */
public final class EvaluatorTopology {

    public static final Serde<WeightSnapshot> SNAPSHOT_SERDE =
            Serdes.serdeFrom(new WeightSnapshotSerializer(), new WeightSnapshotDeserializer());
    public static final Serde<TestMetrics> METRICS_SERDE =
            Serdes.serdeFrom(new TestMetricsSerializer(), new TestMetricsDeserializer());

    private EvaluatorTopology() {
    }

    public static void build(StreamsBuilder builder, TopicNames topics, SnapshotEvaluator evaluator,
                             EvaluationListener listener) {
        builder.stream(topics.snapshots(), Consumed.with(Serdes.String(), SNAPSHOT_SERDE))
                .mapValues((key, snapshot) -> {
                    if (!snapshot.runId().equals(key)) {
                        throw new IllegalArgumentException("snapshot record keyed '" + key + "' holds run '"
                                + snapshot.runId() + "'; snapshots must be keyed by their run id");
                    }
                    return evaluator.evaluate(snapshot);
                })
                .peek((run, metrics) -> listener.onEvaluated(metrics))
                .to(topics.metrics(), Produced.with(Serdes.String(), METRICS_SERDE));
    }
}
