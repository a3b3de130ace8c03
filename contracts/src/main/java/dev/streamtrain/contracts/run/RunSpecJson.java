package dev.streamtrain.contracts.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON form of the contracts' JSON documents (run spec, metrics). Unknown fields are ignored
 * so that records written by a newer version stay readable.
 */
public final class RunSpecJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RunSpecJson() {
    }

    public static String write(RunSpec spec) {
        try {
            return MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write run spec as JSON", e);
        }
    }

    public static RunSpec read(String json) {
        try {
            RunSpec spec = MAPPER.readValue(json, RunSpec.class);
            if (spec == null) {
                throw new IllegalArgumentException("run spec is not valid: JSON null instead of an object");
            }
            return spec;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("run spec is not valid: " + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
