package dev.streamtrain.server;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Encodes the answer to a prediction request (docs/wire-format.md, section 10), for HTTP and the
 * predictions topic alike: {@code {"id", "run", "policy", "snapshot": {"sha256", "step", "epoch",
 * "createdAtMillis"}, "predictions": [{"class", "probabilities"}, …]}}. Probabilities are float32
 * values written as decimals that read back as the same floats ({@code Float.toString}); a NaN is written as the
 * string {@code "NaN"}, as metrics records write theirs.
 */
public class PredictResponseSerializer implements Serializer<PredictResponse> {

    @Override
    public byte[] serialize(String topic, PredictResponse response) {
        if (response == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 160 * response.predictions().size());
        try (JsonGenerator json = PredictRequestDeserializer.JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("id", response.id());
            json.writeStringField("run", response.run());
            json.writeStringField("policy", response.policy().label());
            SnapshotRef snapshot = response.snapshot();
            json.writeObjectFieldStart("snapshot");
            json.writeStringField("sha256", snapshot.sha256());
            json.writeNumberField("step", snapshot.step());
            json.writeNumberField("epoch", snapshot.epoch());
            json.writeNumberField("createdAtMillis", snapshot.createdAtMillis());
            json.writeEndObject();
            json.writeArrayFieldStart("predictions");
            for (Prediction p : response.predictions()) {
                json.writeStartObject();
                json.writeNumberField("class", p.predictedClass());
                json.writeArrayFieldStart("probabilities");
                for (float f : p.probabilities()) {
                    json.writeNumber(f);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("prediction: cannot write JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
