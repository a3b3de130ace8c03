package dev.streamtrain.launcher.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.SpecFamily;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.optim.OptimizerSpec;
import dev.streamtrain.model.schedule.ScheduleSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Makes a {@link TrainingRecipe} from settings on top of a base recipe (the tutorial's for a new
 * run; a recorded run's for {@code replay} and {@code sweep --like}). Per section: a setting that
 * keeps the base's model, optimizer or schedule changes only the parameters it names; one that
 * chooses another starts from that one's defaults (PyTorch's), so {@code --optimizer adam} is
 * {@code torch.optim.Adam}'s defaults unless {@code --lr} and friends say otherwise. Everything is
 * checked here, before anything starts, and an error names the key and where it was set.
 */
public final class RecipeBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecipeBuilder() {
    }

    public static TrainingRecipe build(SpecSettings settings, TrainingRecipe base) {
        String model = settings.text(SpecKeys.MODEL).orElse(base.model());
        Map<String, Object> modelOptions = checked(settings, SpecKeys.Section.MODEL,
                () -> Models.resolveOptions(model, modelOptions(settings, model, base)));
        String loss = settings.text(SpecKeys.LOSS).orElse(base.loss());
        checked(settings, SpecKeys.Section.LOSS, () -> Losses.get(loss));
        OptimizerSpec optimizer = choose(settings, SpecKeys.Section.OPTIMIZER, SpecKeys.OPTIMIZER,
                SpecFamily.OPTIMIZERS, base.optimizer(), base.optimizer().name());
        ScheduleSpec schedule = choose(settings, SpecKeys.Section.SCHEDULE, SpecKeys.SCHEDULE, SpecFamily.SCHEDULES,
                base.schedule(), base.schedule().name());
        return new TrainingRecipe(model, modelOptions, loss, optimizer, schedule, transforms(settings, base));
    }

    /**
     * {@code normalize_mean} and {@code normalize_std} make a Normalize; one of them alone changes the
     * base recipe's Normalize (e.g. {@code replay --set normalize_std=0.3}), and is an error without one.
     */
    private static List<TensorTransform> transforms(SpecSettings settings, TrainingRecipe base) {
        Optional<Normalize> before = base.transforms().stream().filter(Normalize.class::isInstance)
                .map(Normalize.class::cast).findFirst();
        Optional<double[]> mean = settings.doubleList(SpecKeys.NORMALIZE_MEAN).or(() -> before.map(Normalize::mean));
        Optional<double[]> std = settings.doubleList(SpecKeys.NORMALIZE_STD).or(() -> before.map(Normalize::std));
        if (settings.section(SpecKeys.Section.TRANSFORM).isEmpty()) {
            return base.transforms();
        }
        if (mean.isEmpty() || std.isEmpty()) {
            String given = mean.isPresent() ? SpecKeys.NORMALIZE_MEAN : SpecKeys.NORMALIZE_STD;
            String missing = mean.isPresent() ? SpecKeys.NORMALIZE_STD : SpecKeys.NORMALIZE_MEAN;
            throw new IllegalArgumentException(given + " needs " + missing + " too (Normalize(mean, std)); set by "
                    + settings.get(given).orElseThrow().source());
        }
        return checked(settings, SpecKeys.Section.TRANSFORM, () -> List.of(new Normalize(mean.get(), std.get())));
    }

    private static Map<String, Object> modelOptions(SpecSettings settings, String model, TrainingRecipe base) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (model.equals(base.model())) {
            base.modelOptions().forEach((key, value) -> options.put(SpecFamily.snakeCase(key), value));
        }
        settings.section(SpecKeys.Section.MODEL).forEach((key, setting) -> {
            if (!key.equals(SpecKeys.MODEL)) {
                options.put(key, JSON.convertValue(setting.value(), Object.class));
            }
        });
        return options;
    }

    private static <T> T choose(SpecSettings settings, SpecKeys.Section section, String chooser, SpecFamily<T> family,
                                T base, String baseName) {
        String name = settings.text(chooser).map(n -> n.toLowerCase(Locale.ROOT)).orElse(baseName);
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        if (name.equals(baseName)) {
            parameters.putAll(family.parametersOf(base));
        }
        settings.section(section).forEach((key, setting) -> {
            if (!key.equals(chooser)) {
                parameters.put(key, setting.value());
            }
        });
        return checked(settings, section, () -> family.create(name, parameters));
    }

    /** Runs {@code build}; an error it raises is told with where the section's settings came from. */
    private static <T> T checked(SpecSettings settings, SpecKeys.Section section, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            Set<String> sources = new TreeSet<>();
            settings.section(section).values().forEach(s -> sources.add(s.source()));
            throw new IllegalArgumentException(e.getMessage()
                    + (sources.isEmpty() ? "" : " (set by " + String.join(", ", sources) + ")"), e);
        }
    }
}
