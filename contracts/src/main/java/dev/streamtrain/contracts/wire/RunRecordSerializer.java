package dev.streamtrain.contracts.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Encodes a {@link RunRecord} as a UTF-8 JSON object (field names as in the record). */
public class RunRecordSerializer implements Serializer<RunRecord> {

    @Override
    public byte[] serialize(String topic, RunRecord record) {
        if (record == null) {
            return null;
        }
        try {
            return RunSpecJson.MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new SerializationException("run record: cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
