package dev.streamtrain.model.layer;

/**
 * How a parameter tensor starts, as PyTorch's {@code reset_parameters} starts it: drawn from
 * U(-bound, bound), or a constant.
 */
public sealed interface Init {

    /**
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)): {@code nn.Linear} and {@code nn.Conv2d} weights
     * ({@code kaiming_uniform_} with a = sqrt(5) reduces to this bound) and their biases.
     */
    static Init uniformFanIn(int fanIn) {
        return new Uniform(1.0 / Math.sqrt(fanIn));
    }

    record Uniform(double bound) implements Init {
    }

    record Constant(float value) implements Init {
    }
}
