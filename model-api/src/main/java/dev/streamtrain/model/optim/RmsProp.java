package dev.streamtrain.model.optim;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

import static dev.streamtrain.model.optim.Hyperparameters.or;

/**
 * {@code torch.optim.RMSprop(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)}:
 * <pre>
 * if weight_decay != 0: g = g + weight_decay * p
 * v = alpha * v + (1 - alpha) * g * g
 * if centered: g_avg = alpha * g_avg + (1 - alpha) * g;  d = sqrt(v - g_avg * g_avg) + eps
 * else:        d = sqrt(v) + eps
 * if momentum > 0: b = momentum * b + g / d;  p = p - lr * b
 * else:            p = p - lr * g / d
 * </pre>
 * State: {@code square_avg}, then {@code momentum_buffer} (momentum > 0), then {@code grad_avg} (centered).
 */
public record RmsProp(@JsonProperty("learningRate") double lr, double alpha, double eps,
                      double weightDecay, double momentum, boolean centered) implements OptimizerSpec {

    public static final String NAME = "rmsprop";

    public RmsProp {
        Hyperparameters.requireLr(NAME, lr);
        Hyperparameters.requireAtLeastZero(NAME, "alpha", alpha);
        Hyperparameters.requireAtLeastZero(NAME, "eps", eps);
        Hyperparameters.requireAtLeastZero(NAME, "weight_decay", weightDecay);
        Hyperparameters.requireAtLeastZero(NAME, "momentum", momentum);
    }

    /** Reads an RMSprop optimizer; every hyperparameter a JSON object lacks is PyTorch's default. */
    @JsonCreator
    static RmsProp fromJson(@JsonProperty("learningRate") @JsonAlias("lr") Double lr,
                            @JsonProperty("alpha") Double alpha, @JsonProperty("eps") Double eps,
                            @JsonProperty("weightDecay") Double weightDecay, @JsonProperty("momentum") Double momentum,
                            @JsonProperty("centered") Boolean centered) {
        return new RmsProp(or(lr, 1e-2), or(alpha, 0.99), or(eps, 1e-8), or(weightDecay, 0.0), or(momentum, 0.0),
                centered != null && centered);
    }

    /** PyTorch's defaults. */
    public static RmsProp defaults() {
        return fromJson(null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RmsProp withLr(double newLr) {
        return new RmsProp(newLr, alpha, eps, weightDecay, momentum, centered);
    }

    @Override
    public List<String> stateNames() {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (momentum > 0) {
            names.add("momentum_buffer");
        }
        if (centered) {
            names.add("grad_avg");
        }
        return List.copyOf(names);
    }

    @Override
    public void update(float[] params, float[] grads, float[][] state, int from, int to, double learningRate,
                       long step) {
        float[] squareAvg = state[0];
        float[] buffer = momentum > 0 ? state[1] : null;
        float[] gradAvg = centered ? state[momentum > 0 ? 2 : 1] : null;
        float a = (float) alpha;
        float oneMinusA = (float) (1 - alpha);
        float epsF = (float) eps;
        float wd = (float) weightDecay;
        float mu = (float) momentum;
        float lrF = (float) learningRate;
        for (int i = from; i < to; i++) {
            float g = grads[i];
            if (weightDecay != 0) {
                g = g + wd * params[i];
            }
            squareAvg[i] = squareAvg[i] * a + oneMinusA * g * g;
            float variance = squareAvg[i];
            if (gradAvg != null) {
                gradAvg[i] = gradAvg[i] * a + oneMinusA * g;
                variance = variance - gradAvg[i] * gradAvg[i];
            }
            float denominator = (float) Math.sqrt(variance) + epsF;
            if (buffer != null) {
                buffer[i] = buffer[i] * mu + g / denominator;
                params[i] = params[i] - lrF * buffer[i];
            } else {
                params[i] = params[i] - lrF * (g / denominator);
            }
        }
    }

    @Override
    public String describe() {
        return "RMSprop(lr=" + Hyperparameters.format(lr) + ", alpha=" + Hyperparameters.format(alpha) + ", eps="
                + Hyperparameters.format(eps) + ", weight_decay=" + Hyperparameters.format(weightDecay)
                + ", momentum=" + Hyperparameters.format(momentum) + ", centered=" + (centered ? "True" : "False")
                + ")";
    }
}
