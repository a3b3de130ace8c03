package dev.streamtrain.contracts.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Encodes {@link TestMetrics} as a UTF-8 JSON object (field names as in the record). */
public class TestMetricsSerializer implements Serializer<TestMetrics> {

    @Override
    public byte[] serialize(String topic, TestMetrics metrics) {
        if (metrics == null) {
            return null;
        }
        try {
            return RunSpecJson.MAPPER.writeValueAsBytes(metrics);
        } catch (JsonProcessingException e) {
            throw new SerializationException("metrics record: cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
