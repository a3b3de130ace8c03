package dev.streamtrain.model.layer;

import java.util.List;

/**
 * {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding)} with square kernels,
 * zero padding, no dilation and one group. Weight [out_channels, in_channels, k, k] as in torch,
 * bias [out_channels]; both start U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in_channels*k*k.
 */
public record Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) implements Layer {

    public Conv2d {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs in_channels, out_channels, kernel_size, stride >= 1 and "
                    + "padding >= 0, got " + inChannels + ", " + outChannels + ", " + kernelSize + ", " + stride
                    + ", " + padding);
        }
    }

    /** {@code nn.Conv2d(in, out, k)}: stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    @Override
    public Shape outputShape(Shape input) {
        input.requireImage(describe());
        if (input.dim(0) != inChannels) {
            throw new IllegalArgumentException(describe() + " takes " + inChannels + " channels, its input " + input
                    + " has " + input.dim(0));
        }
        int h = out(input.dim(1));
        int w = out(input.dim(2));
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(describe() + " does not fit its input " + input + ": the kernel is "
                    + "larger than the padded image");
        }
        return Shape.of(outChannels, h, w);
    }

    private int out(int size) {
        return Math.floorDiv(size + 2 * padding - kernelSize, stride) + 1;
    }

    @Override
    public List<ParameterTensor> parameters(String prefix) {
        Init init = Init.uniformFanIn(inChannels * kernelSize * kernelSize);
        return List.of(ParameterTensor.trained(prefix + "W", init, outChannels, inChannels, kernelSize, kernelSize),
                ParameterTensor.trained(prefix + "b", init, outChannels));
    }

    @Override
    public String describe() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel_size=" + kernelSize + ", stride=" + stride
                + ", padding=" + padding + ")";
    }
}
