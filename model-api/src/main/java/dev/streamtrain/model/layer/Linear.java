package dev.streamtrain.model.layer;

import java.util.List;

/**
 * {@code nn.Linear(in_features, out_features)}: {@code y = x W + b}. Its weight is stored
 * [in_features, out_features] (the transpose of torch's {@code weight}), its bias [out_features];
 * both start U(-1/sqrt(in_features), 1/sqrt(in_features)).
 */
public record Linear(int inFeatures, int outFeatures) implements Layer {

    public Linear {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear needs in_features and out_features >= 1, got " + inFeatures
                    + " and " + outFeatures);
        }
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException(describe() + " needs a flat input [" + inFeatures + "], got " + input
                    + "; put a Flatten before it");
        }
        if (input.dim(0) != inFeatures) {
            throw new IllegalArgumentException(describe() + " takes " + inFeatures + " features, its input has "
                    + input.dim(0));
        }
        return Shape.of(outFeatures);
    }

    @Override
    public List<ParameterTensor> parameters(String prefix) {
        Init init = Init.uniformFanIn(inFeatures);
        return List.of(ParameterTensor.trained(prefix + "W", init, inFeatures, outFeatures),
                ParameterTensor.trained(prefix + "b", init, outFeatures));
    }

    @Override
    public String describe() {
        return "Linear(in_features=" + inFeatures + ", out_features=" + outFeatures + ")";
    }
}
