package dev.streamtrain.server;

import java.util.Arrays;
import java.util.Objects;

/**
 * The prediction for one sample.
 *
 * @param predictedClass the class: the argmax of the network's outputs, the first maximum on ties, as the
 *                       evaluator's test loop counts it
 * @param probabilities  one per class: the network's softmax outputs (cross-entropy runs), the exponentials of its
 *                       log-probabilities (nll runs), or the softmax of its logits (mse runs)
 */
public record Prediction(int predictedClass, float[] probabilities) {

    public Prediction {
        Objects.requireNonNull(probabilities, "probabilities");
        if (predictedClass < 0 || predictedClass >= probabilities.length) {
            throw new IllegalArgumentException("class " + predictedClass + " is not one of the "
                    + probabilities.length + " classes");
        }
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && predictedClass == p.predictedClass
                && Arrays.equals(probabilities, p.probabilities);
    }

    @Override
    public int hashCode() {
        return Objects.hash(predictedClass, Arrays.hashCode(probabilities));
    }

    @Override
    public String toString() {
        return "Prediction[class " + predictedClass + ", probabilities " + Arrays.toString(probabilities) + "]";
    }
}
