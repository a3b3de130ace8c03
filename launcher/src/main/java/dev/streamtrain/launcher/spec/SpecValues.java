package dev.streamtrain.launcher.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Values written on the command line ({@code --set KEY=VALUE}, {@code --model-option}): each a YAML
 * flow value, so {@code 1e-3}, {@code true}, {@code adam} and {@code [256, 128]} mean what they
 * mean in a spec file.
 */
public final class SpecValues {

    private static final YAMLMapper YAML = new YAMLMapper();

    private SpecValues() {
    }

    public static JsonNode parse(String text) {
        try {
            JsonNode value = YAML.readTree(text);
            return value == null || value.isMissingNode() ? YAML.getNodeFactory().textNode(text) : value;
        } catch (JsonProcessingException e) {
            return YAML.getNodeFactory().textNode(text);
        }
    }

    /** {@code 1e-3,1e-2,[256,128]}: the values of a sweep, split at commas outside brackets. */
    public static List<JsonNode> parseList(String text) {
        List<JsonNode> values = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String value = text.substring(start, i).trim();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("'" + text + "' holds an empty value");
                }
                values.add(parse(value));
                start = i + 1;
            }
        }
        return values;
    }
}
