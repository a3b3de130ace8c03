package dev.streamtrain.contracts.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.optim.OptimizerSpec;
import dev.streamtrain.model.schedule.Constant;
import dev.streamtrain.model.schedule.ScheduleSpec;
import dev.streamtrain.model.zoo.TutorialMlp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines a training run: what data, which network, loss, optimizer and schedule,
 * and where it ran. Validated once here; every snapshot of the run carries it (its provenance).
 * Members added after the first release are read from older specs as what older trainers did.
 *
 * @param runId         the run's id: snapshot and metrics key, trainer group {@code streamtrain-trainer-<runId>}
 * @param stream        id of the minibatch stream the run trains on (the minibatch record key)
 * @param dataset       dataset name, e.g. {@code fashion-mnist}
 * @param model         model name, e.g. {@code tutorial-mlp}
 * @param loss          loss name, e.g. {@code cross-entropy}
 * @param optimizer     optimizer and its hyperparameters
 * @param batchSize     samples per minibatch (the last batch of an epoch may be smaller)
 * @param epochs        epochs to train, or {@link #OPEN} (0): the run trains an open stream for as long as it
 *                      goes on, and never finishes
 * @param seed          seed of the parameter initialisation, the dropout masks and the producer's shuffling
 * @param topics        the topics of the pipeline
 * @param environment   libraries, JVM, OS, CPU and math threads the run trained with
 * @param snapshotEvery snapshots were also taken every this many steps (0: only at epoch ends);
 *                      added in 0.2, read as 0 from older specs
 * @param modelOptions  the model's options, every one (its defaults filled in); read as none from
 *                      older specs (only {@code tutorial-mlp}, which has none)
 * @param schedule      learning-rate schedule; read as constant from older specs
 * @param architecture  the network the model built for the dataset: input shape, classes, layers;
 *                      read as the tutorial's network from older specs of {@code tutorial-mlp}
 * @param engine        the engine that computed the run; read as {@code dl4j} from older specs
 * @param loader        how the producer made the stream: shuffling, drop_last, its seed, the validation split;
 *                      null when the stream does not say (minibatch records of version 1, specs before 0.4)
 * @param transforms    applied after ToTensor to every batch the run trains and is evaluated on
 *                      ({@code Normalize}); read as none from older specs
 * @param prequential   how the trainer measures its test-then-train metrics (window, fading factor); added in
 *                      0.6, read as {@link PrequentialSpec#DEFAULT} from older specs
 */
public record RunSpec(String runId, String stream, String dataset, String model, String loss,
                      OptimizerSpec optimizer, int batchSize, int epochs, long seed, TopicNames topics,
                      Environment environment, int snapshotEvery, Map<String, Object> modelOptions,
                      ScheduleSpec schedule, Architecture architecture, String engine, Sampling loader,
                      List<TensorTransform> transforms, PrequentialSpec prequential) {

    public static final String CROSS_ENTROPY = "cross-entropy";
    /** The {@code epochs} of a run on an open stream, bounded by no epoch: it never finishes. */
    public static final int OPEN = 0;

    public RunSpec {
        requireId("runId", runId);
        requireId("stream", stream);
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(environment, "environment");
        if (loss.isBlank()) {
            throw new IllegalArgumentException("loss must name a loss, e.g. '" + CROSS_ENTROPY + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 1, or 0 for a run on an open stream, got "
                    + epochs);
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery must be >= 0 (0 = only at epoch ends), got "
                    + snapshotEvery);
        }
        modelOptions = modelOptions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(modelOptions));
        schedule = schedule == null ? new Constant() : schedule;
        if (architecture == null && TutorialMlp.NAME.equals(model)) {
            architecture = TutorialMlp.architecture();
        }
        engine = engine == null ? Engines.DEFAULT : engine;
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
        prequential = prequential == null ? PrequentialSpec.DEFAULT : prequential;
    }

    /** A spec with the default prequential measures (as specs before 0.6 read). */
    public RunSpec(String runId, String stream, String dataset, String model, String loss, OptimizerSpec optimizer,
                   int batchSize, int epochs, long seed, TopicNames topics, Environment environment,
                   int snapshotEvery, Map<String, Object> modelOptions, ScheduleSpec schedule,
                   Architecture architecture, String engine, Sampling loader, List<TensorTransform> transforms) {
        this(runId, stream, dataset, model, loss, optimizer, batchSize, epochs, seed, topics, environment,
                snapshotEvery, modelOptions, schedule, architecture, engine, loader, transforms, null);
    }

    /** A spec of a stream that does not say how it was made, without transforms (as specs before 0.4 read). */
    public RunSpec(String runId, String stream, String dataset, String model, String loss, OptimizerSpec optimizer,
                   int batchSize, int epochs, long seed, TopicNames topics, Environment environment,
                   int snapshotEvery, Map<String, Object> modelOptions, ScheduleSpec schedule,
                   Architecture architecture, String engine) {
        this(runId, stream, dataset, model, loss, optimizer, batchSize, epochs, seed, topics, environment,
                snapshotEvery, modelOptions, schedule, architecture, engine, null, (List<TensorTransform>) null);
    }

    /** A spec of the tutorial's model, with no schedule, on the default engine (as specs before 0.3 read). */
    public RunSpec(String runId, String stream, String dataset, String model, String loss, OptimizerSpec optimizer,
                   int batchSize, int epochs, long seed, TopicNames topics, Environment environment,
                   int snapshotEvery) {
        this(runId, stream, dataset, model, loss, optimizer, batchSize, epochs, seed, topics, environment,
                snapshotEvery, null, null, null, null, null, (List<TensorTransform>) null);
    }

    /** A spec of a run that snapshots only at epoch ends. */
    public RunSpec(String runId, String stream, String dataset, String model, String loss, OptimizerSpec optimizer,
                   int batchSize, int epochs, long seed, TopicNames topics, Environment environment) {
        this(runId, stream, dataset, model, loss, optimizer, batchSize, epochs, seed, topics, environment, 0);
    }

    /** This spec with {@code newPrequential} instead. */
    public RunSpec withPrequential(PrequentialSpec newPrequential) {
        return new RunSpec(runId, stream, dataset, model, loss, optimizer, batchSize, epochs, seed, topics,
                environment, snapshotEvery, modelOptions, schedule, architecture, engine, loader, transforms,
                newPrequential);
    }

    /** Whether the run trains an open stream with no last epoch: it never finishes. Not a member: epochs 0 says it. */
    @JsonIgnore
    public boolean isOpen() {
        return epochs == OPEN;
    }

    /** What the run trains with: model and options, loss, optimizer, schedule and transforms. */
    public TrainingRecipe recipe() {
        return new TrainingRecipe(model, modelOptions, loss, optimizer, schedule, transforms);
    }

    /** True if the run's stream has a validation split, which the evaluator then evaluates too. */
    public boolean hasValidation() {
        return loader != null && loader.hasValidation();
    }

    /** Run ids and stream ids become record keys and parts of consumer group ids. */
    public static void requireId(String field, String id) {
        Objects.requireNonNull(id, field);
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException(field + " '" + id + "' is not valid: use 1-128 characters of"
                    + " [A-Za-z0-9._-], starting with a letter or digit");
        }
    }
}
