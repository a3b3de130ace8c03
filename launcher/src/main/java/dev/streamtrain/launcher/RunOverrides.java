package dev.streamtrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.SpecValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --set KEY=VALUE} overrides of {@code replay} and {@code sweep}: any key of a run's
 * spec but those its stream fixes (dataset, batch sizes, epochs, shuffling), and {@code threads}.
 * Values are YAML flow values, several separated by commas ({@code lr=1e-3,1e-2},
 * {@code hidden=[256,128],[512]}). Parsed and checked once, with errors that name the key.
 */
record RunOverrides(Map<String, List<JsonNode>> values) {

    static final String THREADS = "threads";

    static RunOverrides parse(Map<String, String> raw) {
        Map<String, List<JsonNode>> values = new LinkedHashMap<>();
        raw.forEach((key, list) -> {
            if (!key.equals(THREADS)) {
                SpecKeys.Section section;
                try {
                    section = SpecKeys.sectionOf(key);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--set " + key + ": " + e.getMessage() + ", " + THREADS, e);
                }
                if (section == SpecKeys.Section.STREAM) {
                    throw new IllegalArgumentException("--set " + key + ": the stream fixes " + key + "; produce a "
                            + "new stream to change it");
                }
            }
            List<JsonNode> parsed = SpecValues.parseList(list);
            if (key.equals(THREADS)) {
                parsed.forEach(v -> {
                    if (!v.canConvertToInt() || v.asInt() < 1) {
                        throw new IllegalArgumentException("--set threads=" + list + ": '" + v + "' is not a "
                                + "number >= 1");
                    }
                });
            }
            values.put(key, List.copyOf(parsed));
        });
        return new RunOverrides(values);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** The first value of every key but threads, as spec settings from {@code --set}. */
    SpecSettings settings() {
        SpecSettings settings = SpecSettings.empty();
        values.forEach((key, list) -> {
            if (!key.equals(THREADS)) {
                settings.put(key, list.get(0), "--set " + key);
            }
        });
        return settings;
    }

    int threads(int otherwise) {
        return values.containsKey(THREADS) ? values.get(THREADS).get(0).asInt() : otherwise;
    }

    /** Every combination of the listed values, each as single-valued overrides (a sweep's grid). */
    List<RunOverrides> grid() {
        List<Map<String, List<JsonNode>>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        values.forEach((key, list) -> {
            List<Map<String, List<JsonNode>>> next = new ArrayList<>();
            for (Map<String, List<JsonNode>> combo : combos) {
                for (JsonNode v : list) {
                    Map<String, List<JsonNode>> extended = new LinkedHashMap<>(combo);
                    extended.put(key, List.of(v));
                    next.add(extended);
                }
            }
            combos.clear();
            combos.addAll(next);
        });
        return combos.stream().map(RunOverrides::new).toList();
    }

    /** A run-id suffix naming the single-valued overrides, e.g. {@code lr0.01-optimizeradam}. */
    String suffix() {
        StringBuilder sb = new StringBuilder();
        values.forEach((key, list) -> sb.append(sb.isEmpty() ? "" : "-").append(key)
                .append(text(list.get(0))));
        return sb.toString();
    }

    private static String text(JsonNode value) {
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.replace("+", "p").replaceAll("[\\[\\]\" ]", "").replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
