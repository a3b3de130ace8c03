package dev.streamtrain.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.contracts.wire.RecordFormatException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an answer written by {@link PredictResponseSerializer}, for clients in the JVM (the tests,
 * the benchmark). Members it does not know are ignored; anything else wrong is a
 * {@link RecordFormatException} naming it.
 */
public class PredictResponseDeserializer implements Deserializer<PredictResponse> {

    static final String FORMAT = "prediction";

    @Override
    public PredictResponse deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            JsonNode root = RunSpecJson.MAPPER.readTree(data);
            if (root == null || !root.isObject()) {
                throw fail("expected a JSON object");
            }
            JsonNode snapshot = object(root, "snapshot");
            List<Prediction> predictions = new ArrayList<>();
            for (JsonNode p : array(root, "predictions")) {
                JsonNode probabilities = array(p, "probabilities");
                float[] values = new float[probabilities.size()];
                for (int c = 0; c < values.length; c++) {
                    JsonNode v = probabilities.get(c);
                    values[c] = v.isTextual() ? Float.parseFloat(v.asText()) : v.floatValue();
                }
                predictions.add(new Prediction(integer(p, "class"), values));
            }
            return new PredictResponse(root.path("id").isTextual() ? root.get("id").asText() : null,
                    text(root, "run"), ServePolicy.of(text(root, "policy")),
                    new SnapshotRef(text(snapshot, "sha256"), whole(snapshot, "step"), integer(snapshot, "epoch"),
                            whole(snapshot, "createdAtMillis")), predictions);
        } catch (RecordFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RecordFormatException(FORMAT + ": not a valid prediction JSON object: " + e.getMessage(), e);
        }
    }

    private static JsonNode object(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isObject()) {
            throw fail("member '" + field + "' must be an object");
        }
        return v;
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isArray()) {
            throw fail("member '" + field + "' must be an array");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual()) {
            throw fail("member '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw fail("member '" + field + "' must be an integer");
        }
        return v.intValue();
    }

    private static long whole(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw fail("member '" + field + "' must be an integer");
        }
        return v.longValue();
    }

    private static RecordFormatException fail(String message) {
        return new RecordFormatException(FORMAT + ": " + message);
    }
}
