package dev.streamtrain.engine.blas;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.ParameterTensor;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A {@link Network} of Linear, Conv2d, MaxPool2d and elementwise layers ({@link Plan}), computed
 * with OpenBLAS's sgemm on native buffers that are allocated once: the parameters and their
 * gradients (one buffer each, in layout order, which is also this engine's order) with the
 * network, the values and gradients between layers ({@link Workspace}) and the stages' own
 * scratch buffers once per largest batch. A step is: the batch copied
 * into the input buffer, each stage forward, the loss and its gradient ({@link LossHead}), each
 * stage backward writing its parameters' mean gradients in place; then the optimizer's update on a
 * heap copy of the parameters, written back to the native buffer. Plain SGD, the tutorial's, is
 * instead applied by the stages during backpropagation, in the native buffer ({@link #train}).
 *
 * <p>Deterministic: the same parameters, batches and seeds give the same bits on the same machine
 * and thread count (single-threaded sgemm sums in a fixed order; elementwise code is sequential,
 * its transcendental functions {@link StrictMath}'s).
 */
final class BlasNetwork implements Network {

    private final Architecture architecture;
    private final Loss loss;
    private final Plan plan;
    private final LossHead head;
    private final Workspace workspace;
    private final boolean hasDropout;
    /** Native, what the gemms read. */
    private final FloatBuffer parameterBuffer;
    /** Native, what the gemms write. */
    private final FloatBuffer gradientBuffer;
    /** The same parameters on the heap, where the optimizer updates them. */
    private final float[] values;
    private final float[] gradients;
    /** [from, to) pairs of trainable values: every tensor of the architectures this engine takes. */
    private final int[] trainableRanges;
    /** Whether {@link #train} can fuse plain SGD into backpropagation: every parameter trainable, every stage able. */
    private final boolean fusesSgd;
    /** Whether fused steps moved the native parameters past {@link #values}. */
    private boolean heapStale;
    private int lastBatchSize;
    private int lastCorrect = -1;

    BlasNetwork(Architecture architecture, Loss loss) {
        this.architecture = architecture;
        this.loss = loss;
        int size = architecture.parameterCount();
        this.parameterBuffer = Blas.allocate(size);
        this.gradientBuffer = Blas.allocate(size);
        this.plan = Plan.of(architecture, parameterBuffer, gradientBuffer);
        this.head = new LossHead(loss, architecture.classes());
        this.workspace = new Workspace(plan.widths(architecture));
        this.hasDropout = plan.stages().stream().anyMatch(DropoutStage.class::isInstance);
        this.values = new float[size];
        this.gradients = new float[size];
        this.trainableRanges = trainableRanges(architecture.parameters());
        this.fusesSgd = Arrays.equals(trainableRanges, new int[] {0, size})
                && plan.stages().stream().filter(Stage::hasParameters).allMatch(Stage::fusesSgd);
    }

    private static int[] trainableRanges(List<ParameterTensor> tensors) {
        List<Integer> ranges = new ArrayList<>();
        int offset = 0;
        for (ParameterTensor tensor : tensors) {
            if (tensor.trainable()) {
                if (!ranges.isEmpty() && ranges.get(ranges.size() - 1) == offset) {
                    ranges.set(ranges.size() - 1, offset + tensor.size());
                } else {
                    ranges.add(offset);
                    ranges.add(offset + tensor.size());
                }
            }
            offset += tensor.size();
        }
        return ranges.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public double forwardBackward(TensorBatch batch, long randomSeed) {
        double value = backpropagate(batch, randomSeed, Float.NaN);
        lastBatchSize = batch.size();
        return value;
    }

    /**
     * With plain SGD ({@link Sgd#isPlain()}) and a network whose every parameterised stage can
     * ({@link Stage#fusesSgd()}), the update is applied during backpropagation
     * ({@link Stage#backwardWithSgd}), in the native buffer, with no gradient buffer written, copied
     * or read back; otherwise {@link #forwardBackward} and {@link #step}.
     */
    @Override
    public double train(TensorBatch batch, long randomSeed, Optimizer optimizer, double learningRate) {
        if (!fusesSgd || !(optimizer.spec() instanceof Sgd sgd) || !sgd.isPlain()) {
            return Network.super.train(batch, randomSeed, optimizer, learningRate);
        }
        double value = backpropagate(batch, randomSeed, (float) learningRate);
        optimizer.countStep();
        heapStale = true;
        lastBatchSize = 0;
        return value;
    }

    /** Forward, loss, backward; the parameters' gradients stored, or with {@code sgdRate} (not NaN) SGD applied. */
    private double backpropagate(TensorBatch batch, long randomSeed, float sgdRate) {
        int n = forward(batch, true, hasDropout ? new SplittableRandom(randomSeed) : null);
        int last = workspace.last();
        double value = head.lossAndGradient(workspace.values(last), workspace.gradients(last), batch.labels(), n);
        List<Stage> stages = plan.stages();
        for (int s = stages.size() - 1; s >= 0; s--) {
            FloatBuffer inGradient = plan.inputGradients()[s] ? workspace.gradients(s) : null;
            if (Float.isNaN(sgdRate) || !stages.get(s).hasParameters()) {
                stages.get(s).backward(workspace.values(s), workspace.values(s + 1), workspace.gradients(s + 1),
                        inGradient, n);
            } else {
                stages.get(s).backwardWithSgd(workspace.values(s), workspace.values(s + 1),
                        workspace.gradients(s + 1), inGradient, n, sgdRate);
            }
        }
        lastCorrect = head.correct();
        return value;
    }

    /** After fused steps the native buffer is ahead of the heap copy: brings the heap copy up to date. */
    private void refreshHeapParameters() {
        if (heapStale) {
            parameterBuffer.get(0, values);
            heapStale = false;
        }
    }

    /** The batch through every stage; returns its size. */
    private int forward(TensorBatch batch, boolean training, SplittableRandom random) {
        int n = batch.size();
        if (batch.sampleShape().size() != architecture.inputShape().size() || batch.classes() != architecture.classes()) {
            throw new IllegalArgumentException("the network takes samples of shape " + architecture.inputShape()
                    + " with " + architecture.classes() + " classes, the batch has " + batch.sampleShape() + " with "
                    + batch.classes());
        }
        workspace.ensure(n);
        workspace.values(0).put(0, batch.features());
        List<Stage> stages = plan.stages();
        for (int s = 0; s < stages.size(); s++) {
            stages.get(s).forward(workspace.values(s), workspace.values(s + 1), n, training, random);
        }
        return n;
    }

    @Override
    public int trainCorrect() {
        if (lastCorrect < 0) {
            throw new IllegalStateException("trainCorrect() before forwardBackward()");
        }
        return lastCorrect;
    }

    @Override
    public void step(Optimizer optimizer, double learningRate) {
        if (lastBatchSize == 0) {
            throw new IllegalStateException("step() before forwardBackward()");
        }
        refreshHeapParameters();
        gradientBuffer.get(0, gradients);
        optimizer.step(values, gradients, trainableRanges, learningRate);
        parameterBuffer.put(0, values);
        lastBatchSize = 0;
    }

    @Override
    public float[] predict(TensorBatch batch) {
        int n = forward(batch, false, null);
        return head.outputs(workspace.values(workspace.last()), n);
    }

    @Override
    public float[] parameters() {
        refreshHeapParameters();
        return values.clone();
    }

    @Override
    public void setParameters(float[] layoutOrder) {
        requireLength(layoutOrder);
        System.arraycopy(layoutOrder, 0, values, 0, values.length);
        parameterBuffer.put(0, values);
        heapStale = false;
    }

    /** Engine order is layout order. */
    @Override
    public float[] toLayoutOrder(float[] engineOrder) {
        requireLength(engineOrder);
        return engineOrder.clone();
    }

    @Override
    public float[] fromLayoutOrder(float[] layoutOrder) {
        requireLength(layoutOrder);
        return layoutOrder.clone();
    }

    private void requireLength(float[] values) {
        if (values.length != architecture.parameterCount()) {
            throw new IllegalArgumentException("the network holds " + architecture.parameterCount()
                    + " parameter values, got " + values.length);
        }
    }
}
