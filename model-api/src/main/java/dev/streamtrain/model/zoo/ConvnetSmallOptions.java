package dev.streamtrain.model.zoo;

/**
 * The options of {@code convnet-small}.
 *
 * @param channels   output channels of the convolution (default 8)
 * @param kernelSize its square kernel (default 3)
 * @param activation after the convolution: relu (default), tanh, sigmoid or identity (none)
 */
public record ConvnetSmallOptions(int channels, int kernelSize, String activation) {

    public static final String IDENTITY = "identity";
    public static final ConvnetSmallOptions DEFAULTS = new ConvnetSmallOptions(8, 3, "relu");

    public ConvnetSmallOptions {
        if (channels < 1 || kernelSize < 1) {
            throw new IllegalArgumentException("channels and kernel_size must be >= 1, got " + channels + " and "
                    + kernelSize);
        }
        if (!IDENTITY.equals(activation)) {
            Activations.layer(activation);
        }
    }
}
