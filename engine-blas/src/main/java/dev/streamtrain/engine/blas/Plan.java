package dev.streamtrain.engine.blas;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Dropout;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.ParameterTensor;
import dev.streamtrain.model.layer.Shape;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Architecture} as the stages this engine computes, over one parameter buffer and one
 * gradient buffer in layout order (engine order is layout order). Layer by layer: Flatten is
 * nothing (batches arrive flat, row-major NCHW, and every stage keeps that order, as torch
 * flattens NCHW); a Linear layer and an activation right after it are one {@link Dense} stage, a
 * Conv2d layer and an activation right after it one {@link Convolution} stage; MaxPool2d a
 * {@link MaxPooling} stage; any other activation a {@link Pointwise} one; Dropout(p) a
 * {@link DropoutStage}, or nothing when p is 0. Every other layer (BatchNorm) is refused, naming
 * it: the dl4j engine computes those.
 *
 * @param stages         in order
 * @param inputGradients per stage: whether a stage before it has parameters, so that the gradient
 *                       with respect to its input is needed (never for the first Linear or Conv2d layer)
 */
record Plan(List<Stage> stages, boolean[] inputGradients) {

    static Plan of(Architecture architecture, FloatBuffer parameters, FloatBuffer gradients) {
        List<Layer> layers = architecture.layers();
        List<Stage> stages = new ArrayList<>();
        Shape shape = architecture.inputShape();
        int offset = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Activation activation = Activation.of(layer);
            Activation fused = i + 1 < layers.size() ? Activation.of(layers.get(i + 1)) : null;
            if (layer instanceof Linear linear) {
                int weights = linear.inFeatures() * linear.outFeatures();
                int biases = linear.outFeatures();
                stages.add(new Dense(linear.inFeatures(), linear.outFeatures(),
                        fused != null ? fused : Activation.IDENTITY,
                        parameters.slice(offset, weights), parameters.slice(offset + weights, biases),
                        gradients.slice(offset, weights), gradients.slice(offset + weights, biases)));
                offset += weights + biases;
            } else if (layer instanceof Conv2d conv) {
                int weights = conv.outChannels() * conv.inChannels() * conv.kernelSize() * conv.kernelSize();
                int biases = conv.outChannels();
                stages.add(new Convolution(conv, shape, fused != null ? fused : Activation.IDENTITY,
                        parameters.slice(offset, weights), parameters.slice(offset + weights, biases),
                        gradients.slice(offset, weights), gradients.slice(offset + weights, biases)));
                offset += weights + biases;
            } else if (layer instanceof MaxPool2d pool) {
                stages.add(new MaxPooling(pool, shape));
            } else if (activation != null) {
                stages.add(new Pointwise(shape.size(), activation));
            } else if (layer instanceof Dropout dropout) {
                if (dropout.p() > 0) {
                    stages.add(new DropoutStage(shape.size(), dropout.p()));
                }
            } else if (!(layer instanceof Flatten)) {
                throw new IllegalArgumentException("the blas engine computes Flatten, Linear, Conv2d, MaxPool2d, ReLU, "
                        + "Tanh, Sigmoid and Dropout layers, not layer " + i + ", " + layer.describe() + "; use "
                        + "--engine dl4j, which computes every layer");
            }
            shape = layer.outputShape(shape);
            if ((layer instanceof Linear || layer instanceof Conv2d) && fused != null) {
                shape = layers.get(++i).outputShape(shape);
            }
        }
        int expected = architecture.parameters().stream().mapToInt(ParameterTensor::size).sum();
        if (offset != expected) {
            throw new IllegalStateException("the blas engine placed " + offset + " parameter values, the architecture "
                    + "has " + expected + ": " + architecture.describe());
        }
        boolean[] inputGradients = new boolean[stages.size()];
        boolean parametersBefore = false;
        for (int s = 0; s < stages.size(); s++) {
            inputGradients[s] = parametersBefore;
            parametersBefore |= stages.get(s).hasParameters();
        }
        return new Plan(List.copyOf(stages), inputGradients);
    }

    /** Widths of the buffers between stages: the input's, then each stage's output. */
    int[] widths(Architecture architecture) {
        int[] widths = new int[stages.size() + 1];
        widths[0] = architecture.inputShape().size();
        for (int s = 0; s < stages.size(); s++) {
            widths[s + 1] = stages.get(s).outWidth();
        }
        return widths;
    }
}
