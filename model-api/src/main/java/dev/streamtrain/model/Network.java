package dev.streamtrain.model;

import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.optim.Optimizer;

/**
 * A network as the trainer and evaluator use it, whatever engine computes it: the tutorial's
 * {@code model(X)}, {@code loss.backward()} and {@code optimizer.step()}, and its parameters in and
 * out. Parameters cross this interface in <em>layout order</em>: the tensors of
 * {@link Architecture#layout()} concatenated, each row-major, as in snapshots. Not thread-safe.
 */
public interface Network {

    Architecture architecture();

    Loss loss();

    /**
     * Training mode ({@code model.train()}): forward pass, the loss, and its gradient with respect
     * to every trainable parameter (kept for {@link #step}). Dropout masks are drawn from the
     * engine's generator seeded with {@code randomSeed}, so a step is reproducible; batch-norm
     * running statistics move towards the batch's, as in torch's training-mode forward pass.
     *
     * @return the batch's mean loss, before any update ({@code loss.item()})
     */
    double forwardBackward(TensorBatch batch, long randomSeed);

    /**
     * How many samples of the last {@link #forwardBackward} batch its training-mode forward pass
     * classified correctly (argmax of the outputs, first maximum on ties, equal to the label): the
     * MNIST variant's {@code (pred.argmax(1) == y).sum()}, from the forward pass already done.
     */
    int trainCorrect();

    /**
     * {@code optimizer.step()}: updates every trainable parameter from the gradients of the last
     * {@link #forwardBackward}, with learning rate {@code learningRate}.
     */
    void step(Optimizer optimizer, double learningRate);

    /**
     * One training step: {@link #forwardBackward}, then {@link #step}; returns the batch's mean loss
     * before the update. An engine may fuse the two (apply plain SGD during backpropagation, say),
     * giving the same update up to float rounding, and then counts the step on {@code optimizer}
     * ({@link Optimizer#countStep()}).
     */
    default double train(TensorBatch batch, long randomSeed, Optimizer optimizer, double learningRate) {
        double loss = forwardBackward(batch, randomSeed);
        step(optimizer, learningRate);
        return loss;
    }

    /**
     * Eval mode ({@code model.eval()}, no gradients): the network's outputs for {@code batch},
     * [samples, classes] row-major, as the loss's {@link dev.streamtrain.model.loss.OutputActivation}
     * makes them (probabilities for cross-entropy).
     */
    float[] predict(TensorBatch batch);

    /** All parameter values (buffers included), in layout order. */
    float[] parameters();

    /** Overwrites all parameter values (buffers included) with {@code values}, given in layout order. */
    void setParameters(float[] values);

    /**
     * Optimizer state is kept per parameter value in the engine's own order; these move one state
     * array (of {@link Architecture#parameterCount()} values) to layout order and back, for snapshots.
     */
    float[] toLayoutOrder(float[] engineOrder);

    float[] fromLayoutOrder(float[] layoutOrder);
}
