package dev.streamtrain.model.optim;

import java.util.Arrays;

/**
 * An {@link OptimizerSpec} at work on one network: its state tensors (one value per parameter
 * value, in the engine's order) and how many steps it has taken. Engines call {@link #step}.
 */
public final class Optimizer {

    private final OptimizerSpec spec;
    private final float[][] state;
    private long steps;

    public Optimizer(OptimizerSpec spec, int parameterCount) {
        this.spec = spec;
        this.state = new float[spec.stateNames().size()][parameterCount];
        for (int slot = 0; slot < state.length; slot++) {
            Arrays.fill(state[slot], spec.initialState(slot));
        }
    }

    public OptimizerSpec spec() {
        return spec;
    }

    /**
     * One {@code optimizer.step()}: updates {@code params} in place from {@code grads} over each
     * range {@code [ranges[2k], ranges[2k+1])} (the trainable parameters) with learning rate {@code lr}.
     */
    public void step(float[] params, float[] grads, int[] ranges, double lr) {
        steps++;
        for (int k = 0; k < ranges.length; k += 2) {
            spec.update(params, grads, state, ranges[k], ranges[k + 1], lr, steps);
        }
    }

    /**
     * Counts a step that the engine applied itself, fused into backpropagation (only for rules
     * without state: {@link Sgd#isPlain()}), so that {@link #steps()} stays the steps taken.
     */
    public void countStep() {
        if (state.length > 0) {
            throw new IllegalStateException(spec.describe() + " keeps state; its steps go through step()");
        }
        steps++;
    }

    public long steps() {
        return steps;
    }

    /** The state tensors, in {@link OptimizerSpec#stateNames()} order; live arrays. */
    public float[][] state() {
        return state;
    }

    /** Restores state (same shapes) and the step count, e.g. from a snapshot. */
    public void restore(float[][] values, long stepsTaken) {
        if (values.length != state.length) {
            throw new IllegalArgumentException(spec.describe() + " keeps " + state.length + " state tensors, got "
                    + values.length);
        }
        for (int slot = 0; slot < state.length; slot++) {
            if (values[slot].length != state[slot].length) {
                throw new IllegalArgumentException("state tensor " + spec.stateNames().get(slot) + " holds "
                        + state[slot].length + " values, got " + values[slot].length);
            }
            System.arraycopy(values[slot], 0, state[slot], 0, state[slot].length);
        }
        this.steps = stepsTaken;
    }
}
