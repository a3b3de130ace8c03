package dev.streamtrain.report;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.kafka.TopicScan;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds learning curves from the metrics topic alone (read_committed, from the beginning): the
 * evaluator's records carry each snapshot's test (and validation) loss, accuracy and confusion matrix
 * and the trainer's train loss and accuracy.
 */
public final class LearningCurvesReader {

    private LearningCurvesReader() {
    }

    /** The curves of {@code runIds}, in that order; a run with no evaluated epoch yet has an empty curve. */
    public static List<LearningCurve> read(KafkaSettings kafka, String metricsTopic, List<String> runIds) {
        Set<String> wanted = new HashSet<>(runIds);
        List<TestMetrics> records = new ArrayList<>();
        TopicScan.forEach(kafka, metricsTopic, new TestMetricsDeserializer(), TestMetrics::runId, (key, metrics) -> {
            if (metrics != null && wanted.contains(metrics.runId())) {
                records.add(metrics);
            }
        });
        return runIds.stream().map(run -> LearningCurve.of(run, records)).toList();
    }
}
