package dev.streamtrain.contracts.wire;

import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;

/** Decodes a metrics record written by {@link TestMetricsSerializer}. */
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
