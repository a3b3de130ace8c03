package dev.streamtrain.model.optim;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * An optimizer of {@code torch.optim} with its hyperparameters, under PyTorch's names and
 * defaults, and its update rule as PyTorch implements it (one step of {@code optimizer.step()}),
 * in float32 arithmetic. Each optimizer is one record holding all three; adding one is a record
 * here plus its line in {@link JsonSubTypes}.
 *
 * <p>In a run spec an optimizer is a JSON object whose {@code name} is the type id below, e.g.
 * {@code {"name":"sgd","learningRate":0.001,...}}; every spec written before optimizers other than
 * SGD existed reads as {@link Sgd} with PyTorch's defaults for the fields it lacks.
 *
 * <p>The optimizer's state is {@link #stateNames()}, torch's per-parameter state tensors, each one
 * value per parameter value; in a snapshot they follow each other in that order, each in layout
 * order (docs/wire-format.md, "Optimizer state"). Engines call {@link #update} over flat arrays.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "name")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Sgd.class, name = Sgd.NAME),
        @JsonSubTypes.Type(value = Adam.class, name = Adam.NAME),
        @JsonSubTypes.Type(value = AdamW.class, name = AdamW.NAME),
        @JsonSubTypes.Type(value = RmsProp.class, name = RmsProp.NAME),
        @JsonSubTypes.Type(value = Adagrad.class, name = Adagrad.NAME)})
public sealed interface OptimizerSpec permits Sgd, Adam, AdamW, RmsProp, Adagrad {

    /** The name in specs and on the command line, e.g. {@code adam}. */
    @JsonIgnore
    String name();

    /** The learning rate ({@code lr}), before any schedule. */
    double lr();

    /** This optimizer with learning rate {@code lr} instead. */
    OptimizerSpec withLr(double lr);

    /** torch's names of the per-parameter state tensors this configuration keeps, in snapshot order. */
    @JsonIgnore
    List<String> stateNames();

    /** The value every state tensor {@code slot} starts with (0 except Adagrad's accumulator). */
    default float initialState(int slot) {
        return 0f;
    }

    /**
     * One step of the update rule over parameter values {@code [from, to)}.
     *
     * @param params the parameter values, updated in place
     * @param grads  the gradients of the batch's mean loss
     * @param state  {@link #stateNames()} arrays, parallel to {@code params}, updated in place
     * @param lr     the learning rate of this step (after the schedule)
     * @param step   which step this is, from 1 (torch's {@code state['step']} after its increment)
     */
    void update(float[] params, float[] grads, float[][] state, int from, int to, double lr, long step);

    /** As PyTorch prints it, every hyperparameter included, e.g. {@code SGD(lr=0.001, momentum=0, ...)}. */
    String describe();
}
