package dev.streamtrain.contracts.wire;

import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;

/** Decodes a run record written by {@link RunRecordSerializer}; a tombstone (null) stays null. */
public class RunRecordDeserializer implements Deserializer<RunRecord> {

    @Override
    public RunRecord deserialize(String topic, byte[] data) {
        return RecordFormatException.guard("run record", () -> decode(data));
    }

    private RunRecord decode(byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            RunRecord record = RunSpecJson.MAPPER.readValue(data, RunRecord.class);
            if (record == null) {
                throw new RecordFormatException("run record: JSON null instead of a run object");
            }
            return record;
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new RecordFormatException("run record: not a valid run JSON object: " + root.getMessage(), e);
        }
    }
}
