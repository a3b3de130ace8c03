package dev.streamtrain.model;

import dev.streamtrain.model.layer.Init;
import dev.streamtrain.model.layer.ParameterTensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation of every layer ({@code reset_parameters}): Linear and Conv2d
 * weights and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), batch-norm scale 1, shift 0, running
 * mean 0 and variance 1. The uniform values come from one {@link SplittableRandom} seeded with the
 * run's seed, drawn tensor after tensor in layout order and row-major within each
 * ({@code (float) ((nextDouble() * 2 - 1) * bound)}), so the start point is the same on every
 * machine and independent of any engine's random generator. Constants draw nothing.
 */
public final class TorchInit {

    private TorchInit() {
    }

    /** The initial values of {@code tensors}, in layout order. */
    public static float[] parameters(List<ParameterTensor> tensors, long seed) {
        float[] values = new float[tensors.stream().mapToInt(ParameterTensor::size).sum()];
        SplittableRandom random = new SplittableRandom(seed);
        int at = 0;
        for (ParameterTensor tensor : tensors) {
            int size = tensor.size();
            if (tensor.init() instanceof Init.Uniform uniform) {
                for (int i = 0; i < size; i++) {
                    values[at++] = (float) ((random.nextDouble() * 2 - 1) * uniform.bound());
                }
            } else if (tensor.init() instanceof Init.Constant constant) {
                java.util.Arrays.fill(values, at, at + size, constant.value());
                at += size;
            }
        }
        return values;
    }
}
