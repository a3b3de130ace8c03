package dev.streamtrain.contracts.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;

/**
 * Decodes a metrics record written by {@link TestMetricsSerializer}. A record written before metrics
 * carried {@code trainLoss} reads with a NaN train loss (unknown), not 0.
 */
public class TestMetricsDeserializer implements Deserializer<TestMetrics> {

    @Override
    public TestMetrics deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            TestMetrics metrics = RunSpecJson.MAPPER.readValue(data, TestMetrics.class);
            if (metrics == null) {
                throw new SerializationException("metrics record: JSON null instead of a metrics object");
            }
            // A missing (or null) field reads as 0; only then is it worth looking at what was there.
            if (metrics.trainLoss() == 0) {
                JsonNode trainLoss = RunSpecJson.MAPPER.readTree(data).path("trainLoss");
                if (trainLoss.isMissingNode() || trainLoss.isNull()) {
                    return metrics.withTrainLoss(Double.NaN);
                }
            }
            return metrics;
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new SerializationException("metrics record: not a valid metrics JSON object: "
                    + root.getMessage(), e);
        }
    }
}
