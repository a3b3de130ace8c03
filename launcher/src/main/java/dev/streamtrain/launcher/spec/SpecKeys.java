package dev.streamtrain.launcher.spec;

import dev.streamtrain.model.Models;
import dev.streamtrain.model.SpecFamily;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of a run's spec as people write them, in YAML spec files ({@code --config}), as
 * {@code --set KEY=VALUE} and (with dashes) as command-line flags: snake_case, PyTorch's names
 * where PyTorch has one. Each belongs to one section; the keys of the model's, optimizer's and
 * schedule's parameters are those the registered models, optimizers and schedules take.
 */
public final class SpecKeys {

    /** Where a key belongs. */
    public enum Section {
        /** How the producer cuts the dataset: dataset, batch sizes, epochs, shuffling, validation split. */
        STREAM,
        /** What the consumers do to a batch after ToTensor: {@code Normalize}. */
        TRANSFORM,
        /** The run's seed, snapshot interval, progress lines and engine. */
        RUN,
        /** {@code model} and the model's options. */
        MODEL,
        LOSS,
        /** {@code optimizer} and its hyperparameters. */
        OPTIMIZER,
        /** {@code schedule} and its parameters. */
        SCHEDULE
    }

    public static final String DATASET = "dataset";
    public static final String BATCH_SIZE = "batch_size";
    public static final String TEST_BATCH_SIZE = "test_batch_size";
    public static final String EPOCHS = "epochs";
    public static final String SHUFFLE = "shuffle";
    public static final String DATASET_FORMAT = "dataset_format";
    public static final String CLASSES = "classes";
    public static final String DROP_LAST = "drop_last";
    public static final String VAL_FRACTION = "val_fraction";
    public static final String VAL_SIZE = "val_size";
    public static final String NORMALIZE_MEAN = "normalize_mean";
    public static final String NORMALIZE_STD = "normalize_std";
    public static final String PRINT_ACCURACY = "print_accuracy";
    public static final String SEED = "seed";
    public static final String SNAPSHOT_EVERY = "snapshot_every";
    public static final String ENGINE = "engine";
    public static final String MODEL = "model";
    public static final String LOSS = "loss";
    public static final String OPTIMIZER = "optimizer";
    public static final String SCHEDULE = "schedule";

    static final List<String> STREAM_KEYS = List.of(DATASET, DATASET_FORMAT, CLASSES, BATCH_SIZE, TEST_BATCH_SIZE,
            EPOCHS, SHUFFLE, DROP_LAST, VAL_FRACTION, VAL_SIZE);
    static final List<String> TRANSFORM_KEYS = List.of(NORMALIZE_MEAN, NORMALIZE_STD);
    static final List<String> RUN_KEYS = List.of(SEED, SNAPSHOT_EVERY, PRINT_ACCURACY, ENGINE);

    private SpecKeys() {
    }

    /** The section of {@code key}; fails naming every known key if there is none. */
    public static Section sectionOf(String key) {
        if (STREAM_KEYS.contains(key)) {
            return Section.STREAM;
        }
        if (TRANSFORM_KEYS.contains(key)) {
            return Section.TRANSFORM;
        }
        if (RUN_KEYS.contains(key)) {
            return Section.RUN;
        }
        if (key.equals(MODEL) || Models.allOptions().contains(key)) {
            return Section.MODEL;
        }
        if (key.equals(LOSS)) {
            return Section.LOSS;
        }
        if (key.equals(OPTIMIZER) || SpecFamily.OPTIMIZERS.allParameters().contains(key)) {
            return Section.OPTIMIZER;
        }
        if (key.equals(SCHEDULE) || SpecFamily.SCHEDULES.allParameters().contains(key)) {
            return Section.SCHEDULE;
        }
        throw new IllegalArgumentException("unknown key '" + key + "'; known keys: " + String.join(", ", all()));
    }

    /** Every key, by section. */
    public static List<String> all() {
        List<String> all = new ArrayList<>(STREAM_KEYS);
        all.addAll(TRANSFORM_KEYS);
        all.addAll(RUN_KEYS);
        all.add(MODEL);
        all.addAll(Models.allOptions());
        all.add(LOSS);
        all.add(OPTIMIZER);
        all.addAll(SpecFamily.OPTIMIZERS.allParameters());
        all.add(SCHEDULE);
        all.addAll(SpecFamily.SCHEDULES.allParameters());
        return all;
    }

    /** The key that names a section's choice ({@code model}, {@code optimizer}, ...), if it has one. */
    static String chooser(Section section) {
        return switch (section) {
            case MODEL -> MODEL;
            case LOSS -> LOSS;
            case OPTIMIZER -> OPTIMIZER;
            case SCHEDULE -> SCHEDULE;
            default -> null;
        };
    }
}
