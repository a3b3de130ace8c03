package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engine;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.schedule.ScheduleSpec;

import java.util.SplittableRandom;

/**
 * One iteration of the tutorial's loop on one minibatch, whatever the engine: forward, loss,
 * backward, the schedule's learning rate, {@code optimizer.step()} ({@link Network#train}).
 * Holds the run's network, optimizer state and schedule; moves parameters and optimizer state in
 * and out of snapshots. Kafka-free and engine-free: the engine is the one the run spec names.
 */
public final class TrainingStep {

    private final RunSpec spec;
    private final Network network;
    private final Optimizer optimizer;
    private final ScheduleSpec schedule;

    /** The run's engine, with {@code mathThreads} math threads (the only engine this starts), makes its network. */
    private TrainingStep(RunSpec spec, int mathThreads) {
        this.spec = spec;
        Architecture architecture = spec.architecture();
        if (architecture == null) {
            throw new IllegalArgumentException("run " + spec.runId() + " records no architecture for model "
                    + spec.model());
        }
        Engine engine = Engines.get(spec.engine());
        engine.setMathThreads(mathThreads);
        this.network = engine.create(architecture, Losses.get(spec.loss()));
        this.optimizer = new Optimizer(spec.optimizer(), architecture.parameterCount());
        this.schedule = spec.schedule();
    }

    /** The run's network at its start: PyTorch's initialisation drawn with the run's seed. */
    public static TrainingStep start(RunSpec spec, int mathThreads) {
        TrainingStep step = new TrainingStep(spec, mathThreads);
        step.network.setParameters(TorchInit.parameters(spec.architecture().parameters(), spec.seed()));
        return step;
    }

    /** The run's network as {@code snapshot} left it: parameters, optimizer state and step count. */
    public static TrainingStep resume(RunSpec spec, WeightSnapshot snapshot, int mathThreads) {
        TrainingStep step = new TrainingStep(spec, mathThreads);
        if (!snapshot.layout().equals(spec.architecture().layout())) {
            throw new IllegalArgumentException(snapshot + " has layout " + snapshot.layout() + ", the run's "
                    + "architecture " + spec.architecture().layout());
        }
        step.network.setParameters(snapshot.parameters());
        step.restoreOptimizer(snapshot.updaterState(), snapshot.step());
        return step;
    }

    /**
     * Trains on {@code batch} of 1-based {@code epoch}, after {@code stepsDone} steps of the run;
     * returns its mean loss before the update.
     */
    public double apply(TensorBatch batch, int epoch, long stepsDone) {
        return network.train(batch, randomSeed(spec.seed(), stepsDone), optimizer,
                schedule.lrFor(spec.optimizer().lr(), epoch, stepsDone));
    }

    /**
     * The seed of the engine's generator (dropout masks) for the step after {@code stepsDone}:
     * {@code new SplittableRandom(seed + stepsDone * 0x9E3779B97F4A7C15L).nextLong()}, a function of
     * the run's seed and the step alone, so a resumed run draws what an uninterrupted one draws.
     */
    static long randomSeed(long runSeed, long stepsDone) {
        return new SplittableRandom(runSeed + stepsDone * 0x9E3779B97F4A7C15L).nextLong();
    }

    /** Samples of the last {@link #apply}'s batch its training-mode forward pass classified correctly. */
    public int lastCorrect() {
        return network.trainCorrect();
    }

    public Network network() {
        return network;
    }

    /** All parameter values, in layout order. */
    public float[] parameters() {
        return network.parameters();
    }

    /** The optimizer's state tensors, each in layout order, one after the other (the snapshot's updater state). */
    public float[] optimizerState() {
        float[][] slots = optimizer.state();
        int count = spec.architecture().parameterCount();
        float[] out = new float[slots.length * count];
        for (int slot = 0; slot < slots.length; slot++) {
            System.arraycopy(network.toLayoutOrder(slots[slot]), 0, out, slot * count, count);
        }
        return out;
    }

    private void restoreOptimizer(float[] state, long steps) {
        int count = spec.architecture().parameterCount();
        int slots = spec.optimizer().stateNames().size();
        if (state.length != (long) slots * count) {
            throw new IllegalArgumentException("snapshot holds " + state.length + " optimizer state values, "
                    + spec.optimizer().describe() + " keeps " + slots + " x " + count + "; was it trained with another "
                    + "optimizer?");
        }
        float[][] engineOrder = new float[slots][];
        for (int slot = 0; slot < slots; slot++) {
            engineOrder[slot] = network.fromLayoutOrder(java.util.Arrays.copyOfRange(state, slot * count,
                    (slot + 1) * count));
        }
        optimizer.restore(engineOrder, steps);
    }
}
