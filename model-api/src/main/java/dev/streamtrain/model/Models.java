package dev.streamtrain.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.streamtrain.model.layer.Shape;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The models on the class path, by name, and the one way to build a model from its name and
 * options as a run spec holds them (a JSON object, here a map).
 */
public final class Models {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final Registry<ModelFactory<?>> REGISTRY = (Registry) Registry.load(ModelFactory.class,
            ModelFactory::name, "model");
    private static final ObjectMapper OPTIONS = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Models() {
    }

    public static ModelFactory<?> get(String name) {
        return REGISTRY.get(name);
    }

    public static Set<String> names() {
        return REGISTRY.names();
    }

    /** The options {@code model} takes, snake_case as in spec files and on the command line. */
    public static List<String> options(String model) {
        return Arrays.stream(get(model).optionsType().getRecordComponents())
                .map(c -> SpecFamily.snakeCase(c.getName())).toList();
    }

    /** Every option any model on the class path takes. */
    public static Set<String> allOptions() {
        Set<String> all = new TreeSet<>();
        names().forEach(name -> all.addAll(options(name)));
        return all;
    }

    /**
     * {@code model}'s options: its defaults with {@code given} (snake_case keys) on top, checked by
     * the options record, as the map a run spec records (every option, camelCase keys).
     */
    public static Map<String, Object> resolveOptions(String model, Map<String, ?> given) {
        ModelFactory<?> factory = get(model);
        Map<String, Object> camel = new LinkedHashMap<>();
        for (Map.Entry<String, ?> option : given.entrySet()) {
            if (!options(model).contains(option.getKey())) {
                throw new IllegalArgumentException(notAnOptionOf(model, option.getKey()));
            }
            camel.put(SpecFamily.camelCase(option.getKey()), option.getValue());
        }
        return toMap(options(factory, camel));
    }

    /** "hidden is an option of mlp, not of lenet5 (lenet5 takes no options)". */
    static String notAnOptionOf(String model, String option) {
        List<String> owners = names().stream().filter(name -> options(name).contains(option)).toList();
        String whose = owners.isEmpty() ? "is not an option of any model"
                : "is an option of " + String.join(" and ", owners) + ", not of " + model;
        List<String> own = options(model);
        return "model option '" + option + "' " + whose + " (" + model + " takes "
                + (own.isEmpty() ? "no options" : String.join(", ", own)) + ")";
    }

    /** The architecture of {@code model} with {@code options} (as {@link #resolveOptions} returns them). */
    public static Architecture build(String model, Map<String, ?> options, Shape input, int classes) {
        return build(get(model), options, input, classes);
    }

    private static <O extends Record> Architecture build(ModelFactory<O> factory, Map<String, ?> options, Shape input,
                                                         int classes) {
        try {
            return factory.build(options(factory, options), input, classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + factory.name() + " does not fit samples of shape " + input
                    + " with " + classes + " classes: " + e.getMessage(), e);
        }
    }

    private static <O extends Record> O options(ModelFactory<O> factory, Map<String, ?> given) {
        Map<String, Object> merged = new LinkedHashMap<>(toMap(factory.defaultOptions()));
        merged.putAll(given);
        try {
            return OPTIONS.convertValue(merged, factory.optionsType());
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
                throw new IllegalArgumentException(notAnOptionOf(factory.name(),
                        SpecFamily.snakeCase(unknown.getPropertyName())), e);
            }
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String message = String.valueOf(root.getMessage());
            throw new IllegalArgumentException("model " + factory.name() + ": "
                    + (message.contains("\n") ? message.substring(0, message.indexOf('\n')) : message), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(Record options) {
        return OPTIONS.convertValue(options, LinkedHashMap.class);
    }
}
