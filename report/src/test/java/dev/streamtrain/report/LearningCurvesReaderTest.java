package dev.streamtrain.report;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LearningCurvesReaderTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @Test
    void rebuildsEachAskedRunsCurveFromTheMetricsTopicAlone() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.admin(), topics); // the metrics topic has 4 partitions
        String topic = topics.metrics();
        try (KafkaProducer<String, TestMetrics> producer = new KafkaProducer<>(kafka.layered(Map.of(), Map.of()),
                new StringSerializer(), new TestMetricsSerializer())) {
            for (TestMetrics m : List.of(
                    LearningCurveTest.metrics("a", 1, 938, true, 0.484, 2.153328, 2.240531),
                    LearningCurveTest.metrics("b", 1, 938, true, 0.61, 1.2, Double.NaN),
                    LearningCurveTest.metrics("a", 2, 1000, false, 0.50, 2.0, 2.1),
                    LearningCurveTest.metrics("a", 2, 1876, true, 0.539, 1.880709, 2.039216),
                    LearningCurveTest.metrics("c", 1, 938, true, 0.7, 0.9, 1.0),
                    Evaluations.metrics("v", 1, 10, true, false, Evaluations.sha('1'), 1.2, 0.6,
                            Evaluations.result("test", 1.1, ReportedSnapshotTest.WORSE),
                            ReportedSnapshotTest.validation(0.7)),
                    Evaluations.metrics("v", 2, 20, true, true, Evaluations.sha('2'), 0.9, Double.NaN,
                            Evaluations.result("test", 0.6, ReportedSnapshotTest.BETTER),
                            ReportedSnapshotTest.validation(0.8)))) {
                producer.send(new ProducerRecord<>(topic, m.runId(), m)).get();
            }
        }

        List<LearningCurve> curves = LearningCurvesReader.read(kafka, topic, List.of("b", "a", "missing", "v"));

        assertThat(curves).extracting(LearningCurve::runId).containsExactly("b", "a", "missing", "v");
        assertThat(curves.get(0).epochs()).hasSize(1);
        assertThat(curves.get(0).epochs().get(0).trainLoss()).as("NaN survives the JSON round trip").isNaN();
        assertThat(curves.get(1).epochs()).containsExactly(
                new EpochPoint(1, 938 * 64, 2.240531, 2.153328, 0.484),
                new EpochPoint(2, 1876 * 64, 2.039216, 1.880709, 0.539));
        assertThat(curves.get(2).isEmpty()).isTrue();
        assertThat(curves.get(1).reported().step()).isEqualTo(1876);
        assertThat(curves.get(1).reported().selection()).as("no final snapshot yet")
                .isEqualTo(ReportedSnapshot.Selection.LATEST);
        assertThat(curves.get(1).hasClassResults()).as("old records carry no confusion matrix").isFalse();
        LearningCurve validated = curves.get(3);
        assertThat(validated.epochs()).extracting(EpochPoint::validationLoss).containsExactly(0.7, 0.8);
        assertThat(validated.epochs()).extracting(EpochPoint::validationAccuracy).containsExactly(1.0, 1.0);
        assertThat(validated.epochs().get(0).trainAccuracy()).isEqualTo(0.6);
        assertThat(validated.epochs().get(1).trainAccuracy()).isNaN();
        assertThat(validated.reported().step()).isEqualTo(10);
        assertThat(validated.reported().confusion()).isDeepEqualTo(ReportedSnapshotTest.WORSE);
    }
}
