package dev.streamtrain.contracts.dataset;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry: datasets ({@link DatasetDefinition}) and file formats ({@link DatasetFormat}) by
 * name, as registered in {@code META-INF/services}, plus {@link #custom} for a user's own files.
 */
public final class Datasets {

    private Datasets() {
    }

    /** The registered dataset {@code name} (any case); unknown names are refused, listing the known ones. */
    public static DatasetDefinition get(String name) {
        DatasetDefinition definition = Registry.DEFINITIONS.get(name.toLowerCase(Locale.ROOT));
        if (definition == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + String.join(", ", names())
                    + "; or give --dataset-format " + IdxFormat.NAME + " --data DIR --classes N");
        }
        return definition;
    }

    /** True if {@code name} (any case) is a registered dataset. */
    public static boolean isRegistered(String name) {
        return Registry.DEFINITIONS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The registered datasets' names, sorted. */
    public static List<String> names() {
        return List.copyOf(Registry.DEFINITIONS.keySet());
    }

    /** The registered file format {@code name} (any case). */
    public static DatasetFormat format(String name) {
        DatasetFormat format = Registry.FORMATS.get(name.toLowerCase(Locale.ROOT));
        if (format == null) {
            throw new IllegalArgumentException("unknown dataset format '" + name + "'; known: "
                    + String.join(", ", formatNames()));
        }
        return format;
    }

    /** The registered formats' names, sorted. */
    public static List<String> formatNames() {
        return List.copyOf(Registry.FORMATS.keySet());
    }

    /**
     * A user's own dataset: files in {@code format} under the new name {@code name}, with {@code classes}
     * classes named "0" … "N-1", labels in [0, classes); no downloads, no system directory.
     */
    public static DatasetDefinition custom(String name, String format, int classes) {
        return new CustomDataset(name, format(format), classes);
    }

    /**
     * A registered dataset read from files in another {@code format}: its name and class names, or
     * {@code classes} classes named "0" … "N-1" if {@code classes} is not 0; no downloads.
     */
    public static DatasetDefinition withFormat(DatasetDefinition definition, String format, int classes) {
        DatasetFormat other = format(format);
        return classes == 0 || classes == definition.numClasses()
                ? new CustomDataset(definition.name(), other, definition.classNames())
                : new CustomDataset(definition.name(), other, classes);
    }

    /** Loaded once, on first use. */
    private static final class Registry {
        static final Map<String, DatasetDefinition> DEFINITIONS = load(DatasetDefinition.class,
                DatasetDefinition::name);
        static final Map<String, DatasetFormat> FORMATS = load(DatasetFormat.class, DatasetFormat::name);

        private static <T> Map<String, T> load(Class<T> type, Function<T, String> name) {
            Map<String, T> byName = new TreeMap<>();
            for (T provider : ServiceLoader.load(type, Datasets.class.getClassLoader())) {
                T previous = byName.putIfAbsent(name.apply(provider).toLowerCase(Locale.ROOT), provider);
                if (previous != null) {
                    throw new IllegalStateException("two " + type.getSimpleName() + "s named '"
                            + name.apply(provider) + "': " + previous.getClass().getName() + " and "
                            + provider.getClass().getName());
                }
            }
            return Collections.unmodifiableMap(byName);
        }
    }
}
