package dev.streamtrain.server;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Encodes a prediction request as the JSON {@link PredictRequestDeserializer} reads (docs/wire-format.md,
 * section 9): {@code {"id": …, "samples": [[…], …]}}, each sample nested as its dimensions say. For
 * clients in the JVM (the tests, the benchmark); any JSON writer does as well.
 */
public class PredictRequestSerializer implements Serializer<PredictRequest> {

    @Override
    public byte[] serialize(String topic, PredictRequest request) {
        if (request == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 4 * request.samples().size() * 784);
        try (JsonGenerator json = PredictRequestDeserializer.JSON.createGenerator(out)) {
            json.writeStartObject();
            if (request.id() != null) {
                json.writeStringField("id", request.id());
            }
            json.writeArrayFieldStart("samples");
            for (Sample sample : request.samples()) {
                write(json, sample.pixels(), sample.dims(), 0, 0);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException(PredictRequestDeserializer.FORMAT + ": cannot write JSON: "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The values of {@code dims[level..]} from {@code from}, as nested arrays; returns where it stopped. */
    private static int write(JsonGenerator json, byte[] pixels, int[] dims, int level, int from) throws IOException {
        json.writeStartArray();
        int at = from;
        for (int i = 0; i < dims[level]; i++) {
            if (level == dims.length - 1) {
                json.writeNumber(pixels[at++] & 0xFF);
            } else {
                at = write(json, pixels, dims, level + 1, at);
            }
        }
        json.writeEndArray();
        return at;
    }
}
