package dev.streamtrain.contracts.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;

/**
 * Decodes a metrics record written by {@link TestMetricsSerializer}. A record written before metrics
 * carried {@code trainLoss} or {@code trainAccuracy} reads with NaN (unknown), not 0.
 */
public class TestMetricsDeserializer implements Deserializer<TestMetrics> {

    @Override
    public TestMetrics deserialize(String topic, byte[] data) {
        return RecordFormatException.guard("metrics record", () -> decode(data));
    }

    private TestMetrics decode(byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            TestMetrics metrics = RunSpecJson.MAPPER.readValue(data, TestMetrics.class);
            if (metrics == null) {
                throw new RecordFormatException("metrics record: JSON null instead of a metrics object");
            }
            // A missing (or null) field reads as 0; only then is it worth looking at what was there.
            if (metrics.trainLoss() == 0 && absent(data, "trainLoss")) {
                metrics = metrics.withTrainLoss(Double.NaN);
            }
            if (metrics.trainAccuracy() == 0 && absent(data, "trainAccuracy")) {
                metrics = metrics.withTrainAccuracy(Double.NaN);
            }
            return metrics;
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new RecordFormatException("metrics record: not a valid metrics JSON object: "
                    + root.getMessage(), e);
        }
    }

    private static boolean absent(byte[] data, String field) throws IOException {
        JsonNode node = RunSpecJson.MAPPER.readTree(data).path(field);
        return node.isMissingNode() || node.isNull();
    }
}
