package dev.streamtrain.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --set key=value} overrides of {@code replay} and {@code sweep}: which settings of a
 * run may change, parsed and checked once, with errors that name the key.
 */
record RunOverrides(Map<String, List<String>> values) {

    static final Set<String> KEYS = Set.of("lr", "seed", "threads");

    static RunOverrides parse(Map<String, String> raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        raw.forEach((key, list) -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown --set key '" + key + "'; use one of " + KEYS);
            }
            List<String> parsed = new ArrayList<>();
            for (String value : list.split(",")) {
                String v = value.trim();
                try {
                    if (key.equals("lr")) {
                        Double.parseDouble(v);
                    } else {
                        Long.parseLong(v);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--set " + key + "=" + list + ": '" + v + "' is not a number");
                }
                parsed.add(v);
            }
            values.put(key, List.copyOf(parsed));
        });
        return new RunOverrides(values);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    double lr(double otherwise) {
        return values.containsKey("lr") ? Double.parseDouble(values.get("lr").get(0)) : otherwise;
    }

    long seed(long otherwise) {
        return values.containsKey("seed") ? Long.parseLong(values.get("seed").get(0)) : otherwise;
    }

    int threads(int otherwise) {
        return values.containsKey("threads") ? Integer.parseInt(values.get("threads").get(0)) : otherwise;
    }

    /** Every combination of the listed values, each as single-valued overrides (a sweep's grid). */
    List<RunOverrides> grid() {
        List<Map<String, List<String>>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        values.forEach((key, list) -> {
            List<Map<String, List<String>>> next = new ArrayList<>();
            for (Map<String, List<String>> combo : combos) {
                for (String v : list) {
                    Map<String, List<String>> extended = new LinkedHashMap<>(combo);
                    extended.put(key, List.of(v));
                    next.add(extended);
                }
            }
            combos.clear();
            combos.addAll(next);
        });
        return combos.stream().map(RunOverrides::new).toList();
    }

    /** A run-id suffix naming the single-valued overrides, e.g. {@code lr0.01-seed7}. */
    String suffix() {
        StringBuilder sb = new StringBuilder();
        values.forEach((key, list) -> sb.append(sb.isEmpty() ? "" : "-").append(key).append(list.get(0)));
        return sb.toString().replace('+', 'p');
    }
}
