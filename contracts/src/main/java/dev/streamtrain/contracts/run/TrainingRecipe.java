package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.model.SpecFamily;
import dev.streamtrain.model.optim.OptimizerSpec;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Constant;
import dev.streamtrain.model.schedule.ScheduleSpec;
import dev.streamtrain.model.zoo.TutorialMlp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a run trains with, apart from its data: the model and its options, the loss, the
 * optimizer, the learning-rate schedule, and the transforms applied to every batch after ToTensor. A trainer resumes a run only with the recipe it
 * started with; {@code replay --set} and {@code sweep --set} change it.
 *
 * @param modelOptions the model's options as a run spec records them (camelCase names)
 * @param transforms   applied after ToTensor, in order (e.g. {@code Normalize})
 */
public record TrainingRecipe(String model, Map<String, Object> modelOptions, String loss, OptimizerSpec optimizer,
                             ScheduleSpec schedule, List<TensorTransform> transforms) {

    /** A recipe without transforms. */
    public TrainingRecipe(String model, Map<String, Object> modelOptions, String loss, OptimizerSpec optimizer,
                          ScheduleSpec schedule) {
        this(model, modelOptions, loss, optimizer, schedule, List.of());
    }

    public TrainingRecipe {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        modelOptions = modelOptions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(modelOptions));
        schedule = schedule == null ? new Constant() : schedule;
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
    }

    /** The tutorial's: {@code tutorial-mlp}, cross-entropy, plain SGD at lr 1e-3, no schedule. */
    public static TrainingRecipe tutorial() {
        return tutorial(Sgd.DEFAULT_LR);
    }

    /** The tutorial's recipe with learning rate {@code lr}. */
    public static TrainingRecipe tutorial(double lr) {
        return new TrainingRecipe(TutorialMlp.NAME, Map.of(), RunSpec.CROSS_ENTROPY, Sgd.of(lr), new Constant());
    }

    public TrainingRecipe withOptimizer(OptimizerSpec newOptimizer) {
        return new TrainingRecipe(model, modelOptions, loss, newOptimizer, schedule, transforms);
    }

    /**
     * The model with its options as spec files spell them, e.g.
     * {@code mlp(hidden=[256, 128], activation=relu, dropout=0.2, batch_norm=false)}.
     */
    public String describeModel() {
        if (modelOptions.isEmpty()) {
            return model;
        }
        return model + modelOptions.entrySet().stream()
                .map(e -> SpecFamily.snakeCase(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Everything, as one line: model, loss, optimizer, schedule, and the transforms if there are any. */
    public String describe() {
        return "model " + describeModel() + ", loss " + loss + ", optimizer " + optimizer.describe() + ", schedule "
                + schedule.describe() + (transforms.isEmpty() ? "" : ", transforms " + describeTransforms());
    }

    /** The transforms as torchvision's {@code Compose} lists them, e.g. {@code ToTensor(), Normalize(...)}. */
    public String describeTransforms() {
        return transforms.stream().map(TensorTransform::describe)
                .collect(Collectors.joining(", ", "ToTensor(), ", ""));
    }
}
