package dev.streamtrain.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamtrain.model.optim.OptimizerSpec;
import dev.streamtrain.model.schedule.ScheduleSpec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A family of configurable records of the run spec, the optimizers or the schedules: their names
 * (the type ids Jackson reads them by), their parameters (each record's components, in
 * snake_case as PyTorch spells them: {@code weight_decay}, {@code step_size}), and how to make one
 * from a name and some parameters, the others taking PyTorch's defaults. Used where people write
 * specs (YAML files, command-line flags), so its errors name the parameter and who owns it.
 */
public final class SpecFamily<T> {

    public static final SpecFamily<OptimizerSpec> OPTIMIZERS = new SpecFamily<>(OptimizerSpec.class, "optimizer");
    public static final SpecFamily<ScheduleSpec> SCHEDULES = new SpecFamily<>(ScheduleSpec.class, "schedule");

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Class<T> base;
    private final String kind;
    private final Map<String, Class<?>> byName = new LinkedHashMap<>();

    private SpecFamily(Class<T> base, String kind) {
        this.base = base;
        this.kind = kind;
        for (JsonSubTypes.Type type : base.getAnnotation(JsonSubTypes.class).value()) {
            byName.put(type.name(), type.value());
        }
    }

    public String kind() {
        return kind;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** The parameters {@code name} takes, snake_case, in declaration order. */
    public List<String> parameters(String name) {
        List<String> out = new ArrayList<>();
        for (RecordComponent component : type(name).getRecordComponents()) {
            out.add(snakeCase(component.getName()));
        }
        return out;
    }

    /** Every parameter any member of the family takes. */
    public Set<String> allParameters() {
        Set<String> all = new TreeSet<>();
        byName.keySet().forEach(name -> all.addAll(parameters(name)));
        return all;
    }

    /** The names of the members that take {@code parameter}. */
    public List<String> owners(String parameter) {
        return byName.keySet().stream().filter(name -> parameters(name).contains(parameter)).toList();
    }

    /** {@code spec}'s parameters, snake_case, as JSON values. */
    public Map<String, JsonNode> parametersOf(T spec) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (RecordComponent component : spec.getClass().getRecordComponents()) {
            try {
                out.put(snakeCase(component.getName()), STRICT.valueToTree(component.getAccessor().invoke(spec)));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component + " of " + spec, e);
            }
        }
        return out;
    }

    /**
     * The member {@code name} with {@code parameters} (snake_case keys); the rest take their
     * defaults. Fails naming an unknown name, a parameter {@code name} does not take (and who
     * does), or a value out of range.
     */
    public T create(String name, Map<String, JsonNode> parameters) {
        type(name);
        ObjectNode json = STRICT.createObjectNode().put("name", name);
        for (Map.Entry<String, JsonNode> parameter : parameters.entrySet()) {
            if (!parameters(name).contains(parameter.getKey())) {
                throw new IllegalArgumentException(notTakenBy(name, parameter.getKey()));
            }
            json.set(camelCase(parameter.getKey()), parameter.getValue());
        }
        try {
            return STRICT.treeToValue(json, base);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(notTakenBy(name, snakeCase(e.getPropertyName())), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException(kind + " " + name + ": " + firstLine(root.getMessage()), e);
        }
    }

    /** "momentum is a parameter of sgd and rmsprop, not of adam (adam takes lr, betas, ...)". */
    public String notTakenBy(String name, String parameter) {
        List<String> owners = owners(parameter);
        String whose = owners.isEmpty() ? "is not a parameter of any " + kind
                : "is a parameter of " + String.join(" and ", owners) + ", not of " + name;
        return kind + " parameter '" + parameter + "' " + whose + " (" + name + " takes "
                + String.join(", ", parameters(name)) + ")";
    }

    private Class<?> type(String name) {
        Class<?> type = byName.get(name);
        if (type == null) {
            throw new IllegalArgumentException(kind + " '" + name + "' is not known; use one of " + byName.keySet());
        }
        return type;
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    /** {@code weightDecay} to {@code weight_decay}. */
    public static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** {@code weight_decay} to {@code weightDecay}. */
    public static String camelCase(String snake) {
        String[] parts = snake.split("_");
        return parts[0] + java.util.Arrays.stream(parts).skip(1)
                .map(p -> p.isEmpty() ? p : Character.toUpperCase(p.charAt(0)) + p.substring(1))
                .collect(Collectors.joining());
    }
}
