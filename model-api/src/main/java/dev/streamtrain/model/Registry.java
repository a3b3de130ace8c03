package dev.streamtrain.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * Implementations of a service interface found on the class path with {@link ServiceLoader}, by
 * name: the built-in ones (listed in this module's {@code META-INF/services}) and any a user adds
 * in a jar of their own.
 */
public final class Registry<T> {

    private final String kind;
    private final Map<String, T> byName;

    private Registry(String kind, Map<String, T> byName) {
        this.kind = kind;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Loads every {@code type} on the class path; two of the same name are an error. */
    public static <T> Registry<T> load(Class<T> type, Function<T, String> name, String kind) {
        Map<String, T> byName = new LinkedHashMap<>();
        for (T service : ServiceLoader.load(type, Registry.class.getClassLoader())) {
            T earlier = byName.putIfAbsent(name.apply(service), service);
            if (earlier != null) {
                throw new IllegalStateException("two " + kind + "s are named '" + name.apply(service) + "': "
                        + earlier.getClass().getName() + " and " + service.getClass().getName());
            }
        }
        return new Registry<>(kind, byName);
    }

    public T get(String name) {
        T service = byName.get(name);
        if (service == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; known: " + byName.keySet());
        }
        return service;
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
