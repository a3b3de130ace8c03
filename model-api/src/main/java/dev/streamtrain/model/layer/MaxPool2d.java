package dev.streamtrain.model.layer;

/**
 * {@code nn.MaxPool2d(kernel_size, stride)}: square windows, no padding, output size rounded down
 * ({@code ceil_mode=False}).
 */
public record MaxPool2d(int kernelSize, int stride) implements Layer {

    public MaxPool2d {
        if (kernelSize < 1 || stride < 1) {
            throw new IllegalArgumentException("MaxPool2d needs kernel_size and stride >= 1, got " + kernelSize
                    + " and " + stride);
        }
    }

    @Override
    public Shape outputShape(Shape input) {
        input.requireImage(describe());
        int h = Math.floorDiv(input.dim(1) - kernelSize, stride) + 1;
        int w = Math.floorDiv(input.dim(2) - kernelSize, stride) + 1;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(describe() + " does not fit its input " + input);
        }
        return Shape.of(input.dim(0), h, w);
    }

    @Override
    public String describe() {
        return "MaxPool2d(kernel_size=" + kernelSize + ", stride=" + stride + ")";
    }
}
