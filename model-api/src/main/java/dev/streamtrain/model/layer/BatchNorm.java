package dev.streamtrain.model.layer;

import java.util.List;

/**
 * {@code nn.BatchNorm1d(num_features)} on feature vectors, {@code nn.BatchNorm2d(num_features)} on
 * images (per channel). In training mode it normalises with the batch's mean and (biased) variance
 * and moves the running statistics towards them by {@code momentum}:
 * {@code running = (1 - momentum) * running + momentum * batch}; in eval mode it normalises with the
 * running statistics. Parameters: {@code gamma} (torch's {@code weight}, starts at 1) and
 * {@code beta} ({@code bias}, 0), trained; buffers {@code mean} ({@code running_mean}, 0) and
 * {@code var} ({@code running_var}, 1).
 */
public record BatchNorm(int numFeatures, double eps, double momentum) implements Layer {

    public static final double DEFAULT_EPS = 1e-5;
    public static final double DEFAULT_MOMENTUM = 0.1;

    public BatchNorm {
        if (numFeatures < 1) {
            throw new IllegalArgumentException("BatchNorm needs num_features >= 1, got " + numFeatures);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm eps must be > 0, got " + eps);
        }
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in (0, 1], got " + momentum);
        }
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm(int numFeatures) {
        this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    @Override
    public Shape outputShape(Shape input) {
        int features = input.rank() == 1 || input.isImage() ? input.dim(0) : -1;
        if (features != numFeatures) {
            throw new IllegalArgumentException(describe() + " normalises " + numFeatures + " features (or channels), "
                    + "its input is " + input);
        }
        return input;
    }

    @Override
    public List<ParameterTensor> parameters(String prefix) {
        return List.of(ParameterTensor.trained(prefix + "gamma", new Init.Constant(1f), numFeatures),
                ParameterTensor.trained(prefix + "beta", new Init.Constant(0f), numFeatures),
                ParameterTensor.buffer(prefix + "mean", new Init.Constant(0f), numFeatures),
                ParameterTensor.buffer(prefix + "var", new Init.Constant(1f), numFeatures));
    }

    @Override
    public String describe() {
        return "BatchNorm(" + numFeatures + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
