package dev.streamtrain.launcher.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of a run's spec as someone wrote them: key (see {@link SpecKeys}) to value, each
 * remembering where it came from (a spec file, a flag, {@code --set}) so errors can say. Layers:
 * a later source overrides an earlier one ({@link #overriddenBy}). Values are JSON values:
 * YAML's, or the flags' typed values.
 */
public final class SpecSettings {

    private static final ObjectMapper YAML = new YAMLMapper();

    /** A value and where it was set, e.g. {@code examples/tutorial.yaml} or {@code --lr}. */
    public record Setting(JsonNode value, String source) {
    }

    private final Map<String, Setting> values = new LinkedHashMap<>();

    public static SpecSettings empty() {
        return new SpecSettings();
    }

    /**
     * Reads a YAML spec file: a mapping of keys. {@code model}, {@code optimizer} and
     * {@code schedule} may be a name or a mapping with {@code name} and that section's
     * parameters; every other key may also stand at the top level.
     */
    public static SpecSettings fromYaml(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("spec file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("spec file " + file + " is not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read spec file " + file + ": " + e.getMessage(), e);
        }
        SpecSettings settings = new SpecSettings();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return settings;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("spec file " + file + " must be a mapping of keys (dataset, model, "
                    + "optimizer, ...), not a " + root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        String source = file.toString();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            SpecKeys.Section section = sectionOf(key, source);
            if (entry.getValue().isObject() && key.equals(SpecKeys.chooser(section))) {
                settings.putSection(key, section, (ObjectNode) entry.getValue(), source);
            } else {
                settings.putOnce(key, entry.getValue(), source);
            }
        }
        return settings;
    }

    /** {@code model: {name: mlp, hidden: [256]}}: the name under its key, the rest checked to be the section's. */
    private void putSection(String key, SpecKeys.Section section, ObjectNode body, String source) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual()) {
            throw new IllegalArgumentException(source + ": '" + key + "' needs a 'name', e.g. " + key
                    + ": {name: ..., ...}");
        }
        putOnce(key, name, source);
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("name")) {
                continue;
            }
            String inner = entry.getKey();
            if (sectionOf(inner, source + " (under '" + key + "')") != section) {
                throw new IllegalArgumentException(source + ": '" + inner + "' does not belong under '" + key + "'; it "
                        + "belongs with '" + SpecKeys.chooser(sectionOf(inner, source)) + "' or at the top level");
            }
            putOnce(inner, entry.getValue(), source);
        }
    }

    private static SpecKeys.Section sectionOf(String key, String source) {
        try {
            return SpecKeys.sectionOf(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private void putOnce(String key, JsonNode value, String source) {
        if (values.containsKey(key)) {
            throw new IllegalArgumentException(source + ": '" + key + "' is set twice");
        }
        values.put(key, new Setting(value, source));
    }

    /** Sets {@code key} (checked to be a spec key) to {@code value}, from {@code source}; replaces any earlier value. */
    public SpecSettings put(String key, JsonNode value, String source) {
        sectionOf(key, source);
        values.put(key, new Setting(value, source));
        return this;
    }

    /** Sets {@code key} to {@code value} (a number, boolean, string or list) if it is not null. */
    public SpecSettings putIfGiven(String key, Object value, String source) {
        if (value != null) {
            put(key, YAML.valueToTree(value), source);
        }
        return this;
    }

    /** These settings with {@code later}'s on top. */
    public SpecSettings overriddenBy(SpecSettings later) {
        SpecSettings merged = new SpecSettings();
        merged.values.putAll(values);
        merged.values.putAll(later.values);
        return merged;
    }

    /** These settings as a spec file: every key at the top level, for a command started as another process. */
    public String toYaml() {
        ObjectNode root = YAML.createObjectNode();
        values.forEach((key, setting) -> root.set(key, setting.value()));
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write settings as YAML", e);
        }
    }

    public Optional<Setting> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The settings of one section, by key. */
    public Map<String, Setting> section(SpecKeys.Section section) {
        Map<String, Setting> out = new LinkedHashMap<>();
        values.forEach((key, setting) -> {
            if (SpecKeys.sectionOf(key) == section) {
                out.put(key, setting);
            }
        });
        return out;
    }

    /** The text of {@code key}, if set. */
    public Optional<String> text(String key) {
        return get(key).map(s -> {
            if (!s.value().isValueNode()) {
                throw invalid(key, s, "a name");
            }
            return s.value().asText();
        });
    }

    public int intValue(String key, int otherwise) {
        return get(key).map(s -> {
            long value = whole(key, s);
            if (value != (int) value) {
                throw invalid(key, s, "a whole number of at most 10 digits");
            }
            return (int) value;
        }).orElse(otherwise);
    }

    public long longValue(String key, long otherwise) {
        return get(key).map(s -> whole(key, s)).orElse(otherwise);
    }

    public boolean booleanValue(String key, boolean otherwise) {
        return get(key).map(s -> {
            if (!s.value().isBoolean()) {
                throw invalid(key, s, "true or false");
            }
            return s.value().asBoolean();
        }).orElse(otherwise);
    }

    public double doubleValue(String key, double otherwise) {
        return get(key).map(s -> number(key, s, s.value())).orElse(otherwise);
    }

    /** A list of numbers; a single number, or text of comma-separated numbers, is a list of one or more. */
    public Optional<double[]> doubleList(String key) {
        return get(key).map(s -> {
            JsonNode value = s.value();
            if (value.isArray()) {
                double[] out = new double[value.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = number(key, s, value.get(i));
                }
                return out;
            }
            if (value.isTextual()) {
                String[] parts = value.asText().split(",");
                double[] out = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    try {
                        out[i] = Double.parseDouble(parts[i].trim());
                    } catch (NumberFormatException e) {
                        throw invalid(key, s, "a list of numbers");
                    }
                }
                return out;
            }
            return new double[] {number(key, s, value)};
        });
    }

    private static double number(String key, Setting setting, JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw invalid(key, setting, "a number");
    }

    private static long whole(String key, Setting setting) {
        JsonNode value = setting.value();
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual() && value.asText().matches("-?\\d{1,18}")) {
            return Long.parseLong(value.asText());
        }
        throw invalid(key, setting, "a whole number");
    }

    private static IllegalArgumentException invalid(String key, Setting setting, String expected) {
        return new IllegalArgumentException(key + " must be " + expected + ", got " + setting.value() + " (from "
                + setting.source() + ")");
    }
}
